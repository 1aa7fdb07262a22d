import { describe, expect, it } from "vitest";
import type { RecordedDelivery } from "../model.js";
import { findReplacements, readBridgeOrigin, replaceKeyOf } from "./bridge-view.js";

const gnb = { id: "n-1", targetHostName: "shop.contoso.com", appNotificationId: "order-7" };
const origin = { notificationId: "n-1", targetHostName: "shop.contoso.com", appNotificationId: "order-7" };
const d = (o: Partial<RecordedDelivery>): RecordedDelivery => ({
  id: "d", hub: "h", notificationId: "nh", installationId: "i", deviceHandle: "x", platform: "apns", format: "apple", headers: {}, body: "{}", receivedAt: "2026-01-01T00:00:00Z", ...o,
});

describe("readBridgeOrigin", () => {
  it("reads the gnb object of APNs and Web Push bodies", () => {
    expect(readBridgeOrigin(d({ body: JSON.stringify({ aps: {}, gnb }) }))).toEqual(origin);
    expect(readBridgeOrigin(d({ platform: "browser", body: JSON.stringify({ title: "t", gnb }) }))).toEqual(origin);
  });
  it("reads FCM's flat gnb_* data", () => {
    const body = JSON.stringify({ message: { data: { gnb_id: "n-1", gnb_targetHostName: "shop.contoso.com", gnb_appNotificationId: "order-7" } } });
    expect(readBridgeOrigin(d({ platform: "fcmv1", body }))).toEqual(origin);
  });
  it("reads a toast's XML-escaped launch argument", () => {
    const launch = JSON.stringify({ gnb }).replace(/"/g, "&quot;");
    expect(readBridgeOrigin(d({ platform: "wns", body: `<toast launch="${launch}"><visual/></toast>` }))).toEqual(origin);
  });
  it("is undefined for anything else (not from the bridge, no id, not JSON)", () => {
    expect(readBridgeOrigin(d({ body: JSON.stringify({ aps: {} }) }))).toBeUndefined();
    expect(readBridgeOrigin(d({ body: JSON.stringify({ gnb: { targetHostName: "x" } }) }))).toBeUndefined();
    expect(readBridgeOrigin(d({ platform: "wns", body: "raw bytes" }))).toBeUndefined();
  });
});

describe("replacements", () => {
  it("takes each platform's replace key", () => {
    expect(replaceKeyOf(d({ headers: { "apns-collapse-id": "k" } }))).toBe("k");
    expect(replaceKeyOf(d({ platform: "wns", headers: { "X-WNS-Tag": "t", "X-WNS-Group": "g" } }))).toBe("t|g");
    expect(replaceKeyOf(d({ platform: "browser", headers: { Topic: "k" } }))).toBe("k");
    expect(replaceKeyOf(d({ platform: "fcmv1", body: JSON.stringify({ message: { android: { collapse_key: "c", notification: { tag: "k" } } } }) }))).toBe("k");
    expect(replaceKeyOf(d({ headers: {} }))).toBeUndefined();
  });
  it("marks an older delivery replaced by the next newer one to the same device with the same key, and nothing else", () => {
    const key = { "apns-collapse-id": "k" };
    const newestFirst = [
      d({ id: "3", headers: key }), d({ id: "other-device", installationId: "j", headers: key }),
      d({ id: "2", headers: key }), d({ id: "other-key", headers: { "apns-collapse-id": "z" } }), d({ id: "1", headers: key }),
    ];
    expect(Object.fromEntries(findReplacements(newestFirst))).toEqual({ "2": "3", "1": "2" });
  });
});
