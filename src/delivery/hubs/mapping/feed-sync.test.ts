import { describe, expect, it } from "vitest";
import type { AcceptedNotification } from "../../../legacy/types.js";
import { webPushTopic, wnsTag } from "./collapse-key.js";
import { excludeOrigin, mapFeedSync, MAX_CHANGES_PER_PUSH } from "./feed-sync.js";

const NOW = new Date("2026-12-05T10:00:00.000Z");

function anItem(o: Partial<AcceptedNotification> = {}) {
  const notification: AcceptedNotification = {
    id: "n-1", unsId: "sub-1", targetHostName: "notify.contoso.com", platforms: ["windows", "ios", "android", "webpush"],
    visual: { title: "t" }, priority: "High", expiresAt: new Date(NOW.getTime() + 3_600_000), createdAt: NOW, appNotificationId: "order-1", groupName: "orders", ...o,
  };
  return { id: notification.id, readState: "read" as const, userActionState: "dismissed" as const, version: 3, modifiedAt: NOW, notification };
}

const map = (items = [anItem()], origin?: string) => mapFeedSync(items, { tagExpression: "$UserId:{sub-1}", originInstallationId: origin, now: NOW });

describe("mapFeedSync", () => {
  it("sends one silent push per platform the notification went to, each marked feed-sync", () => {
    expect(map().map((s) => [s.platform, s.format, s.purpose])).toEqual([
      ["windows", "windows", "feed-sync"], ["ios", "apple", "feed-sync"], ["android", "fcmv1", "feed-sync"], ["webpush", "browser", "feed-sync"],
    ]);
    expect(map([anItem({ platforms: ["ios"] })]).map((s) => s.platform)).toEqual(["ios"]);
  });

  it("APNs: background push type, priority 5, content-available only, no alert, sound or badge", () => {
    const ios = map().find((s) => s.platform === "ios")!;
    expect(ios.headers["apns-push-type"]).toBe("background");
    expect(ios.headers["apns-priority"]).toBe("5");
    expect(ios.headers["apns-collapse-id"]).toBeUndefined(); // it would replace a still-queued original
    const body = JSON.parse(ios.body);
    expect(body.aps).toEqual({ "content-available": 1 });
    expect(body.gnbSync).toEqual({
      type: "feedStateChanged", more: false,
      changes: [{ id: "n-1", appNotificationId: "order-1", readState: "read", userActionState: "dismissed", version: 3, lastModifiedDateTime: NOW.toISOString(), replaceKeys: { apnsCollapseId: "order-1" } }],
    });
  });

  it("FCM: a data message (string values only, no notification block), normal priority", () => {
    const android = map().find((s) => s.platform === "android")!;
    const { message } = JSON.parse(android.body);
    expect(message.notification).toBeUndefined();
    expect(message.android).toEqual({ priority: "NORMAL", ttl: "3600s" });
    expect(Object.values(message.data).every((v) => typeof v === "string")).toBe(true);
    expect(JSON.parse(message.data.gnbSync).changes[0].replaceKeys).toEqual({ fcmTag: "order-1", fcmCollapseKey: "order-1" });
  });

  it("WNS: raw, cached while the device is offline; Web Push: low urgency, no Topic", () => {
    const wns = map().find((s) => s.platform === "windows")!;
    expect(wns.headers).toEqual({ "X-WNS-Type": "wns/raw", "X-WNS-Cache-Policy": "cache", "X-WNS-TTL": "3600" });
    expect(wns.contentType).toBe("application/octet-stream");
    expect(JSON.parse(wns.body).gnbSync.changes[0].replaceKeys).toEqual({ wnsTag: wnsTag(anItem().notification), wnsGroup: "orders" });
    const web = map().find((s) => s.platform === "webpush")!;
    expect(web.headers).toEqual({ TTL: "3600", Urgency: "low" });
    expect(JSON.parse(web.body).gnbSync.changes[0].replaceKeys).toEqual({ webPushTopic: webPushTopic(anItem().notification) });
  });

  it("leaves out the originating installation", () => {
    expect(map([anItem()], "dev-1")[0].tagExpression).toBe("($UserId:{sub-1}) && !$InstallationId:{dev-1}");
    expect(map()[0].tagExpression).toBe("$UserId:{sub-1}");
    expect(excludeOrigin("a || b", "x")).toBe("(a || b) && !$InstallationId:{x}");
  });

  it(`names at most ${MAX_CHANGES_PER_PUSH} changes and says there are more`, () => {
    const many = Array.from({ length: MAX_CHANGES_PER_PUSH + 1 }, (_, i) => ({ ...anItem({ id: `n-${i}` }), id: `n-${i}` }));
    const body = JSON.parse(map(many).find((s) => s.platform === "ios")!.body);
    expect(body.gnbSync.changes).toHaveLength(MAX_CHANGES_PER_PUSH);
    expect(body.gnbSync.more).toBe(true);
  });
});
