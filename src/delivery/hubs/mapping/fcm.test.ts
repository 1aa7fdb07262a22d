import { describe, expect, it } from "vitest";
import { mapFcm } from "./fcm.js";
import { PayloadTooLargeError } from "./size-limit.js";
import { aContext, aNotification, aRawNotification, parseBody } from "../../../../test/support/mapping-builders.js";

type Message = { notification?: unknown; data: Record<string, string>; android: Record<string, unknown>; token?: string };
const messageOf = (n = aNotification(), ctx = aContext()) => {
  const sends = mapFcm(n, ctx);
  expect(sends).toHaveLength(1);
  return (parseBody(sends[0]) as { message: Message }).message;
};

describe("mapFcm", () => {
  it("sends an fcmv1 {message} envelope with no token", () => {
    const [send] = mapFcm(aNotification(), aContext());
    expect(send).toMatchObject({ platform: "android", format: "fcmv1", contentType: "application/json;charset=utf-8", headers: {} });
    expect(Object.keys(parseBody(send))).toEqual(["message"]);
    expect(messageOf().token).toBeUndefined();
  });

  it("visual: notification {title, body} at HIGH with a drawer tag", () => {
    const m = messageOf();
    expect(m.notification).toEqual({ title: "Hello", body: "World" });
    expect(m.android).toEqual({ priority: "HIGH", ttl: "86400s", collapse_key: "order42", notification: { tag: "order42" } });
  });

  it("visual: NORMAL when the caller said Low", () => {
    expect(messageOf(aNotification({ priority: "Low" })).android.priority).toBe("NORMAL");
  });

  it("clamps ttl to 28 days", () => {
    const expiresAt = new Date(aContext().now.getTime() + 30 * 86_400_000);
    expect(messageOf(aNotification({ expiresAt })).android.ttl).toBe("2419200s");
  });

  it("raw: data-only, HIGH only when the caller said High", () => {
    const m = messageOf(aRawNotification());
    expect(m.notification).toBeUndefined();
    expect(m.android.notification).toBeUndefined();
    expect(m.android.priority).toBe("NORMAL");
    expect(messageOf(aRawNotification({ priority: "High" })).android.priority).toBe("HIGH");
    expect(messageOf(aRawNotification({ priority: "Low" })).android.priority).toBe("NORMAL");
  });

  it("data is a flat string map with the raw content and metadata, no reserved keys", () => {
    const { data } = messageOf(aRawNotification({ displayTimeToLive: 60 }), aContext({ ackToken: "tok" }));
    expect(data).toMatchObject({ rawContent: '{"orderId":42}', gnb_id: aNotification().id, gnb_displayTimeToLive: "60", gnb_ackToken: "tok" });
    for (const [k, v] of Object.entries(data)) {
      expect(typeof v).toBe("string");
      expect(k).not.toMatch(/^(google\.|gcm\.|from$|message_type$)/);
    }
  });

  it("both: notification and data", () => {
    const m = messageOf(aNotification({ rawContent: "r" }));
    expect(m.notification).toEqual({ title: "Hello", body: "World" });
    expect(m.data.rawContent).toBe("r");
    expect(m.android.priority).toBe("HIGH");
  });

  it("omits collapse_key without an appNotificationId but keeps the tag", () => {
    const m = messageOf(aNotification({ appNotificationId: undefined }));
    expect(m.android.collapse_key).toBeUndefined();
    expect(m.android.notification).toEqual({ tag: aNotification().id });
  });

  it("raw+fallback maps as raw", () => {
    const fallback = { delaySeconds: 60, visual: { title: "F" } };
    expect(messageOf(aRawNotification({ fallback }))).toEqual(messageOf(aRawNotification()));
  });

  it("refuses payloads over 4096 bytes", () => {
    expect(() => mapFcm(aRawNotification({ rawContent: "x".repeat(4000) }), aContext())).toThrow(PayloadTooLargeError);
  });
});
