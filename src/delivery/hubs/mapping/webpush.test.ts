import { describe, expect, it } from "vitest";
import { hashHex } from "./collapse-key.js";
import { PayloadTooLargeError } from "./size-limit.js";
import { aContext, aNotification, aRawNotification, parseBody } from "../../../../test/support/mapping-builders.js";
import { mapWebPush } from "./webpush.js";

describe("mapWebPush", () => {
  it("sends JSON in format browser with TTL, Urgency and Topic", () => {
    const [send] = mapWebPush(aNotification(), aContext());
    expect(send).toMatchObject({ platform: "webpush", format: "browser", contentType: "application/json;charset=utf-8" });
    expect(send.headers).toEqual({ TTL: "86400", Urgency: "high", Topic: "order42" });
  });

  it("visual: title and body with metadata", () => {
    const body = parseBody(mapWebPush(aNotification(), aContext())[0]);
    expect(Object.keys(body)).toEqual(["title", "body", "gnb"]);
    expect(body).toMatchObject({ title: "Hello", body: "World" });
  });

  it("raw: the raw content and metadata, urgency from the caller's priority", () => {
    const send = mapWebPush(aRawNotification(), aContext())[0];
    expect(Object.keys(parseBody(send))).toEqual(["rawContent", "gnb"]);
    expect(send.headers.Urgency).toBe("normal");
    expect(mapWebPush(aRawNotification({ priority: "Low" }), aContext())[0].headers.Urgency).toBe("low");
    expect(mapWebPush(aRawNotification({ priority: "High" }), aContext())[0].headers.Urgency).toBe("high");
  });

  it("both: everything in one JSON", () => {
    expect(Object.keys(parseBody(mapWebPush(aNotification({ rawContent: "r" }), aContext())[0]))).toEqual(["title", "body", "rawContent", "gnb"]);
  });

  it("derives a Topic from a long id", () => {
    const id = "invoice/2030/0001";
    expect(mapWebPush(aNotification({ appNotificationId: id }), aContext())[0].headers.Topic).toBe(hashHex(id, 32));
  });

  it("keeps the plaintext within the 3993 bytes aes128gcm leaves of 4096", () => {
    expect(() => mapWebPush(aRawNotification({ rawContent: "x".repeat(3900) }), aContext())).toThrow(PayloadTooLargeError);
    expect(() => mapWebPush(aRawNotification({ rawContent: "x".repeat(3700) }), aContext())).not.toThrow();
  });
});
