import { describe, expect, it } from "vitest";
import { apnsCollapseId, fcmCollapseKey, fcmTag, hashHex, webPushTopic, wnsGroup, wnsTag } from "./collapse-key.js";

const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
const key = (appNotificationId?: string) => ({ id, appNotificationId });

describe("replace keys", () => {
  it("use the appNotificationId itself where each platform allows it", () => {
    const n = key("order42");
    expect([apnsCollapseId(n), fcmTag(n), fcmCollapseKey(n), wnsTag(n), webPushTopic(n)]).toEqual(Array(5).fill("order42"));
  });

  it("hash per platform when the id breaks that platform's rule", () => {
    const n = key("order-42"); // '-' is not alphanumeric: WNS hashes, others keep it
    expect(apnsCollapseId(n)).toBe("order-42");
    expect(webPushTopic(n)).toBe("order-42");
    expect(wnsTag(n)).toBe(hashHex("order-42", 16));
    expect(wnsTag(n)).toMatch(/^[0-9a-f]{16}$/);
  });

  it("APNs/FCM: 64 printable ASCII bytes at most, else the full SHA-256 hex", () => {
    expect(apnsCollapseId(key("a".repeat(64)))).toBe("a".repeat(64));
    expect(apnsCollapseId(key("a".repeat(65)))).toBe(hashHex("a".repeat(65), 64));
    expect(apnsCollapseId(key("café"))).toBe(hashHex("café", 64));
    expect(apnsCollapseId(key("a b"))).toBe(hashHex("a b", 64));
  });

  it("Web Push Topic: at most 32 base64url characters, else 32 hex digits", () => {
    expect(webPushTopic(key("A_-z".repeat(8)))).toBe("A_-z".repeat(8));
    expect(webPushTopic(key("x".repeat(33)))).toBe(hashHex("x".repeat(33), 32));
    expect(webPushTopic(key("a.b"))).toMatch(/^[0-9a-f]{32}$/);
  });

  it("is deterministic: the same id always gives the same keys", () => {
    const long = "urn:orders:".repeat(10);
    expect([apnsCollapseId(key(long)), wnsTag(key(long)), webPushTopic(key(long))]).toEqual([
      apnsCollapseId(key(long)), wnsTag(key(long)), webPushTopic(key(long)),
    ]);
    expect(hashHex("abc", 8)).toBe("ba7816bf"); // SHA-256("abc") starts ba7816bf
  });

  it("fall back to the bridge id without an appNotificationId", () => {
    expect(apnsCollapseId(key())).toBe(id);
    expect(fcmTag(key())).toBe(id);
    expect(webPushTopic(key())).toBe(hashHex(id, 32)); // 36 chars: too long for a Topic
    expect(wnsTag(key())).toBe(hashHex(id, 16));
  });

  it("FCM collapse_key only when the caller named an appNotificationId", () => {
    expect(fcmCollapseKey(key())).toBeUndefined();
    expect(fcmCollapseKey(key("x"))).toBe("x");
  });

  it("WNS group follows the tag rule", () => {
    expect(wnsGroup("TestGroup")).toBe("TestGroup");
    expect(wnsGroup("Test Group")).toBe(hashHex("Test Group", 16));
  });
});
