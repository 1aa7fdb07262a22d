import { describe, expect, it } from "vitest";
import { mapApns } from "./apns.js";
import { hashHex } from "./collapse-key.js";
import { PayloadTooLargeError } from "./size-limit.js";
import { aContext, aNotification, aRawNotification, parseBody } from "../../../../test/support/mapping-builders.js";

const fallback = { delaySeconds: 120, visual: { title: "New order", body: "Open the app" } };
const withFallback = (o = {}) => aRawNotification({ platforms: ["ios"], fallback, priority: "High", ...o });

describe("mapApns: visual", () => {
  const [send] = mapApns(aNotification({ groupName: "orders" }), aContext());

  it("is an alert push at priority 10 in format apple", () => {
    expect(send).toMatchObject({ platform: "ios", format: "apple", purpose: "primary", contentType: "application/json;charset=utf-8", tagExpression: "$UserId:uns-1" });
    expect(send.headers["apns-push-type"]).toBe("alert");
    expect(send.headers["apns-priority"]).toBe("10");
  });

  it("puts title and body in aps.alert and groupName in thread-id", () => {
    expect(parseBody(send).aps).toEqual({ alert: { title: "Hello", body: "World" }, "thread-id": "orders" });
  });

  it("carries the metadata beside aps", () => {
    expect(parseBody(send).gnb).toMatchObject({ id: aNotification().id, appNotificationId: "order42", groupName: "orders" });
  });

  it("sets the collapse id and the NH expiry header", () => {
    expect(send.headers["apns-collapse-id"]).toBe("order42");
    expect(send.headers["ServiceBusNotification-Apns-Expiry"]).toBe("2030-01-02T00:00:00Z");
    expect(send.headers["apns-expiration"]).toBeUndefined();
  });

  it("goes out at priority 5 when the caller said Low", () => {
    expect(mapApns(aNotification({ priority: "Low" }), aContext())[0].headers["apns-priority"]).toBe("5");
  });

  it("hashes a collapse id longer than 64 bytes", () => {
    const long = "x".repeat(65);
    expect(mapApns(aNotification({ appNotificationId: long }), aContext())[0].headers["apns-collapse-id"]).toBe(hashHex(long, 64));
  });

  it("omits body and thread-id when absent", () => {
    expect(parseBody(mapApns(aNotification({ visual: { title: "T" } }), aContext())[0]).aps).toEqual({ alert: { title: "T" } });
  });
});

describe("mapApns: raw", () => {
  it("is a background push at priority 5 even when the caller said High", () => {
    const [send] = mapApns(aRawNotification({ priority: "High" }), aContext());
    expect(send.headers["apns-push-type"]).toBe("background");
    expect(send.headers["apns-priority"]).toBe("5");
  });

  it("has only content-available in aps and the raw content beside it", () => {
    const body = parseBody(mapApns(aRawNotification({ groupName: "g" }), aContext())[0]);
    expect(body.aps).toEqual({ "content-available": 1 });
    expect(body.rawContent).toBe('{"orderId":42}');
    expect(Object.keys(body)).toEqual(["aps", "rawContent", "gnb"]);
  });
});

describe("mapApns: both", () => {
  it("is one alert with mutable-content and the raw content beside aps", () => {
    const sends = mapApns(aNotification({ rawContent: "r" }), aContext());
    expect(sends).toHaveLength(1);
    expect(sends[0].headers["apns-push-type"]).toBe("alert");
    const body = parseBody(sends[0]);
    expect(body.aps).toEqual({ alert: { title: "Hello", body: "World" }, "mutable-content": 1 });
    expect(body.rawContent).toBe("r");
  });
});

describe("mapApns: raw+fallback", () => {
  it("immediate: one alert from the fallback visual that also wakes the app", () => {
    const sends = mapApns(withFallback(), aContext());
    expect(sends).toHaveLength(1);
    expect(sends[0].headers).toMatchObject({ "apns-push-type": "alert", "apns-priority": "10" });
    const body = parseBody(sends[0]);
    expect(body.aps).toEqual({ alert: fallback.visual, "mutable-content": 1, "content-available": 1 });
    expect(body.rawContent).toBe('{"orderId":42}');
  });

  it("deferred: a background push now and a scheduled alert after the delay", () => {
    const [now, later] = mapApns(withFallback(), aContext({ iosFallbackMode: "deferred", ackToken: "tok" }));
    expect(now).toMatchObject({ purpose: "primary", headers: { "apns-push-type": "background", "apns-priority": "5" } });
    expect(now.scheduledAt).toBeUndefined();
    expect(parseBody(now).gnb).toMatchObject({ ackToken: "tok" });
    expect(later).toMatchObject({ purpose: "ios-fallback-alert", scheduledAt: "2030-01-01T00:02:00.000Z" });
    expect(later.headers["apns-push-type"]).toBe("alert");
    expect(parseBody(later).aps).toEqual({ alert: fallback.visual, "mutable-content": 1, "content-available": 1 });
  });

  it("deferred without an ack token falls back to immediate (nothing could cancel the alert)", () => {
    const sends = mapApns(withFallback(), aContext({ iosFallbackMode: "deferred" }));
    expect(sends.map((s) => s.purpose)).toEqual(["primary"]);
    expect(sends[0].headers["apns-push-type"]).toBe("alert");
  });

  it("deferred: no alert is planned at or after expiry", () => {
    const expiresAt = new Date(aContext().now.getTime() + 120_000);
    const sends = mapApns(withFallback({ expiresAt }), aContext({ iosFallbackMode: "deferred", ackToken: "t" }));
    expect(sends.map((s) => s.headers["apns-push-type"])).toEqual(["background"]);
  });
});

describe("mapApns: size", () => {
  it("refuses payloads over 4096 bytes instead of truncating", () => {
    const n = aRawNotification({ rawContent: "é".repeat(2100) });
    expect(() => mapApns(n, aContext())).toThrow(PayloadTooLargeError);
    try {
      mapApns(n, aContext());
    } catch (e) {
      expect(e).toMatchObject({ platform: "ios", limit: 4096 });
      expect((e as PayloadTooLargeError).size).toBeGreaterThan(4200);
    }
  });

  it("accepts a payload of exactly 4096 bytes", () => {
    const probe = mapApns(aRawNotification({ rawContent: "" }), aContext())[0].body.length;
    const n = aRawNotification({ rawContent: "a".repeat(4096 - probe) });
    expect(Buffer.byteLength(mapApns(n, aContext())[0].body)).toBe(4096);
  });
});
