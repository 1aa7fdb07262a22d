import { describe, expect, it } from "vitest";
import type { NativeNotification } from "./native-types.js";
import { MAX_WEB_PUSH_PLAINTEXT, splitNativeHeaders, validateNativeNotification } from "./native-validation.js";
import { inferApnsPushType } from "./validate-apns.js";

const JSON_TYPE = "application/json;charset=utf-8";

function check(n: Partial<NativeNotification> & Pick<NativeNotification, "format">) {
  return validateNativeNotification({ contentType: JSON_TYPE, headers: {}, body: "{}", ...n });
}

const apple = (body: unknown, headers: Record<string, string> = {}) =>
  check({ format: "apple", body: typeof body === "string" ? body : JSON.stringify(body), headers });
const fcm = (body: unknown, headers: Record<string, string> = {}) =>
  check({ format: "fcmv1", body: typeof body === "string" ? body : JSON.stringify(body), headers });
const wns = (body: string, headers: Record<string, string>, contentType = "application/xml") =>
  check({ format: "windows", body, headers, contentType });
const browser = (body: string, headers: Record<string, string> = {}) => check({ format: "browser", body, headers });

const TOAST = '<toast><visual><binding template="ToastGeneric"><text>T</text></binding></visual></toast>';

describe("APNs rules", () => {
  const alert = { aps: { alert: { title: "t", body: "b" } } };
  it("accepts an alert", () => expect(apple(alert, { "apns-push-type": "alert", "apns-priority": "10" })).toBeUndefined());
  it("requires JSON content", () => expect(check({ format: "apple", contentType: "text/plain", body: "{}" })?.message).toMatch(/application\/json/));
  it("requires a JSON object", () => expect(apple("[1]")?.message).toMatch(/JSON object/));
  it("requires aps", () => expect(apple({ data: 1 })?.message).toMatch(/'aps'/));
  it("limits the payload to 4096 bytes", () => {
    const big = { aps: { alert: "x".repeat(4100) } };
    expect(apple(big)).toMatchObject({ outcome: "InvalidNotificationSize" });
  });
  it("allows 5120 bytes for voip", () => {
    expect(apple({ aps: {}, x: "y".repeat(4200) }, { "apns-push-type": "voip" })).toBeUndefined();
  });
  it("refuses an unknown push type", () => expect(apple(alert, { "apns-push-type": "loud" })?.message).toMatch(/push type/));
  it("refuses a priority other than 1, 5, 10", () => expect(apple(alert, { "apns-priority": "7" })?.message).toMatch(/1, 5 or 10/));
  it("needs aps.alert for an alert push", () => expect(apple({ aps: { badge: 1 } }, { "apns-push-type": "alert" })?.message).toMatch(/aps.alert/));
  it("needs content-available for a background push", () => {
    expect(apple({ aps: {} }, { "apns-push-type": "background", "apns-priority": "5" })?.message).toMatch(/content-available/);
  });
  it("refuses alert, sound or badge in a background push", () => {
    const body = { aps: { "content-available": 1, sound: "default" } };
    expect(apple(body, { "apns-push-type": "background", "apns-priority": "5" })?.message).toMatch(/aps.sound/);
  });
  it("requires priority 5 for a background push", () => {
    const body = { aps: { "content-available": 1 } };
    expect(apple(body, { "apns-push-type": "background", "apns-priority": "10" })?.message).toMatch(/priority 5/);
    expect(apple(body, { "apns-push-type": "background" })?.message).toMatch(/priority 5/);
    expect(apple(body, { "apns-push-type": "background", "apns-priority": "5" })).toBeUndefined();
  });
  it("limits apns-collapse-id to 64 bytes", () => {
    expect(apple(alert, { "apns-collapse-id": "c".repeat(64) })).toBeUndefined();
    expect(apple(alert, { "apns-collapse-id": "c".repeat(65) })?.message).toMatch(/64 bytes/);
  });
  it("requires apns-expiration in epoch seconds", () => expect(apple(alert, { "apns-expiration": "2025-01-01" })?.message).toMatch(/seconds/));
  it("requires apns-id to be a UUID", () => expect(apple(alert, { "apns-id": "abc" })?.message).toMatch(/UUID/));
  it("requires a date in ServiceBusNotification-Apns-Expiry", () => {
    expect(apple(alert, { "servicebusnotification-apns-expiry": "soon" })?.message).toMatch(/W3C/);
  });
  it("refuses an unknown apns header", () => expect(apple(alert, { "apns-foo": "1" })?.message).toMatch(/no header/));
  it("infers the push type like NH", () => {
    expect(inferApnsPushType(JSON.stringify({ aps: { "content-available": 1 } }))).toBe("background");
    expect(inferApnsPushType(JSON.stringify(alert))).toBe("alert");
  });
});

describe("FCM v1 rules", () => {
  const ok = { message: { notification: { title: "t" }, data: { a: "1" }, android: { priority: "HIGH", ttl: "3600s" } } };
  it("accepts a message envelope", () => expect(fcm(ok)).toBeUndefined());
  it("requires the message envelope", () => expect(fcm({ notification: { title: "t" } })?.message).toMatch(/"message"/));
  it("refuses other top-level fields", () => expect(fcm({ message: {}, validate_only: true })?.message).toMatch(/validate_only/));
  for (const target of ["token", "topic", "condition"]) {
    it(`refuses message.${target}`, () => expect(fcm({ message: { [target]: "x" } })?.message).toMatch(target));
  }
  it("refuses non-string data values", () => expect(fcm({ message: { data: { n: 1 } } })?.message).toMatch(/must be a string/));
  it("refuses reserved data keys", () => expect(fcm({ message: { data: { "google.x": "1" } } })?.message).toMatch(/reserved/));
  it("checks android.data too", () => expect(fcm({ message: { android: { data: { n: {} } } } })?.message).toMatch(/android.data.n/));
  it("requires a duration string ttl", () => expect(fcm({ message: { android: { ttl: 3600 } } })?.message).toMatch(/duration/));
  it("caps ttl at 28 days", () => expect(fcm({ message: { android: { ttl: "2419201s" } } })?.message).toMatch(/28 days/));
  it("checks android.priority", () => expect(fcm({ message: { android: { priority: "urgent" } } })?.message).toMatch(/NORMAL or HIGH/));
  it("refuses unknown message fields", () => expect(fcm({ message: { time_to_live: 3 } })?.message).toMatch(/unknown field/));
  it("limits the payload to 4096 bytes", () => {
    expect(fcm({ message: { data: { a: "x".repeat(4100) } } })).toMatchObject({ outcome: "InvalidNotificationSize" });
  });
  it("takes no native headers", () => expect(fcm(ok, { "apns-priority": "10" })?.message).toMatch(/no native header/));
});

describe("WNS rules", () => {
  it("accepts a toast", () => expect(wns(TOAST, { "x-wns-type": "wns/toast" })).toBeUndefined());
  it("requires X-WNS-Type", () => expect(wns(TOAST, {})?.message).toMatch(/required/));
  it("refuses an unknown X-WNS-Type", () => expect(wns(TOAST, { "x-wns-type": "wns/popup" })?.message).toMatch(/not wns\/toast/));
  it("requires well-formed XML", () => expect(wns("<toast><visual>", { "x-wns-type": "wns/toast" })?.message).toMatch(/well-formed/));
  it("requires the toast root for wns/toast", () => expect(wns("<tile/>", { "x-wns-type": "wns/toast" })?.message).toMatch(/<toast>/));
  it("requires the tile and badge roots", () => {
    expect(wns("<tile><visual/></tile>", { "x-wns-type": "wns/tile" })).toBeUndefined();
    expect(wns('<badge value="1"/>', { "x-wns-type": "wns/badge" })).toBeUndefined();
    expect(wns(TOAST, { "x-wns-type": "wns/badge" })?.message).toMatch(/<badge>/);
  });
  it("requires XML content for toasts", () => expect(wns(TOAST, { "x-wns-type": "wns/toast" }, JSON_TYPE)?.message).toMatch(/must be XML/));
  it("requires octet-stream for raw", () => {
    expect(wns("anything", { "x-wns-type": "wns/raw" }, "application/octet-stream")).toBeUndefined();
    expect(wns("anything", { "x-wns-type": "wns/raw" }, "application/xml")?.message).toMatch(/octet-stream/);
  });
  it("limits the payload to 5000 bytes", () => {
    expect(wns("x".repeat(5001), { "x-wns-type": "wns/raw" }, "application/octet-stream")).toMatchObject({ outcome: "InvalidNotificationSize" });
  });
  it("limits X-WNS-Tag and X-WNS-Group to 16 characters", () => {
    expect(wns(TOAST, { "x-wns-type": "wns/toast", "x-wns-tag": "t".repeat(16) })).toBeUndefined();
    expect(wns(TOAST, { "x-wns-type": "wns/toast", "x-wns-tag": "t".repeat(17) })?.message).toMatch(/x-wns-tag/);
    expect(wns(TOAST, { "x-wns-type": "wns/toast", "x-wns-group": "g".repeat(17) })?.message).toMatch(/x-wns-group/);
  });
  it("checks X-WNS-TTL, priority and cache policy values", () => {
    expect(wns(TOAST, { "x-wns-type": "wns/toast", "x-wns-ttl": "1h" })?.message).toMatch(/ttl/);
    expect(wns(TOAST, { "x-wns-type": "wns/toast", "x-wns-priority": "9" })?.message).toMatch(/priority/);
    expect(wns(TOAST, { "x-wns-type": "wns/toast", "x-wns-cache-policy": "maybe" })?.message).toMatch(/cache-policy/);
  });
  it("refuses X-WNS-SuppressPopup, which WNS drops on Windows channels", () => {
    expect(wns(TOAST, { "x-wns-type": "wns/toast", "x-wns-suppresspopup": "true" })?.message).toMatch(/Windows Phone/);
  });
});

describe("browser (Web Push) rules", () => {
  it("accepts a JSON object with RFC 8030 headers", () => {
    expect(browser('{"title":"t"}', { ttl: "60", urgency: "high", topic: "abc_-1" })).toBeUndefined();
  });
  it("requires valid JSON", () => expect(browser("{title")?.message).toMatch(/JSON object/));
  it("checks TTL, Urgency and Topic", () => {
    expect(browser("{}", { ttl: "-1" })?.message).toMatch(/TTL/);
    expect(browser("{}", { urgency: "asap" })?.message).toMatch(/Urgency/);
    expect(browser("{}", { topic: "t".repeat(33) })?.message).toMatch(/Topic/);
  });
  it("limits the plaintext to what fits a 4096-byte encrypted record", () => {
    const body = JSON.stringify({ x: "y".repeat(MAX_WEB_PUSH_PLAINTEXT) });
    expect(browser(body)).toMatchObject({ outcome: "InvalidNotificationSize" });
  });
});

describe("splitNativeHeaders", () => {
  it("keeps the platform's own headers and names the others", () => {
    const split = splitNativeHeaders("apple", { "apns-priority": "10", "x-wns-type": "wns/toast", ttl: "5", "user-agent": "x" });
    expect(split).toEqual({ own: { "apns-priority": "10" }, foreign: ["x-wns-type", "ttl"] });
  });
});
