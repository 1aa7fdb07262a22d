import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { hashHex } from "./collapse-key.js";
import { PayloadTooLargeError } from "./size-limit.js";
import { aContext, aNotification, aRawNotification } from "../../../../test/support/mapping-builders.js";
import { mapWns } from "./wns.js";

const parser = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: true });
const toastOf = (body: string) => parser.parse(body).toast as { "@_launch": string; visual: { binding: { text: string[] | string } } };

describe("mapWns: visual", () => {
  const [send] = mapWns(aNotification({ groupName: "TestGroup" }), aContext());

  it("is a wns/toast in format windows with application/xml", () => {
    expect(send).toMatchObject({ platform: "windows", format: "windows", purpose: "primary", contentType: "application/xml" });
  });

  it("sets type, priority 1, TTL, tag and group; never SuppressPopup", () => {
    expect(send.headers).toEqual({ "X-WNS-Type": "wns/toast", "X-WNS-Priority": "1", "X-WNS-TTL": "86400", "X-WNS-Tag": "order42", "X-WNS-Group": "TestGroup" });
    expect(Object.keys(send.headers).some((h) => /suppresspopup/i.test(h))).toBe(false);
  });

  it("renders title and body as ToastGeneric texts with metadata in launch", () => {
    const toast = toastOf(send.body);
    expect(toast.visual.binding.text).toEqual(["Hello", "World"]);
    expect(JSON.parse(toast["@_launch"])).toEqual({ gnb: expect.objectContaining({ id: aNotification().id, groupName: "TestGroup" }) });
  });

  it("escapes XML in the caller's text", () => {
    const body = mapWns(aNotification({ visual: { title: "<Tom & Jerry>" } }), aContext())[0].body;
    expect(body).toContain("<text>&lt;Tom &amp; Jerry&gt;</text>");
  });

  it("uses priority 2 when the caller said Low", () => {
    expect(mapWns(aNotification({ priority: "Low" }), aContext())[0].headers["X-WNS-Priority"]).toBe("2");
  });

  it("hashes tag and group that are not 1..16 alphanumerics", () => {
    const h = mapWns(aNotification({ appNotificationId: "order-42", groupName: "Test Group" }), aContext())[0].headers;
    expect(h["X-WNS-Tag"]).toBe(hashHex("order-42", 16));
    expect(h["X-WNS-Group"]).toBe(hashHex("Test Group", 16));
  });
});

describe("mapWns: raw", () => {
  it("sends the caller's bytes exactly as wns/raw octet-stream", () => {
    const raw = '{"a":"é<&>"}';
    const [send] = mapWns(aRawNotification({ rawContent: raw, priority: "High" }), aContext());
    expect(send.contentType).toBe("application/octet-stream");
    expect(send.body).toBe(raw);
    expect(send.headers).toEqual({ "X-WNS-Type": "wns/raw", "X-WNS-Priority": "1", "X-WNS-Cache-Policy": "cache", "X-WNS-TTL": "86400" });
  });

  it("maps None to priority 2 and Low to 3", () => {
    expect(mapWns(aRawNotification(), aContext())[0].headers["X-WNS-Priority"]).toBe("2");
    expect(mapWns(aRawNotification({ priority: "Low" }), aContext())[0].headers["X-WNS-Priority"]).toBe("3");
  });

  it("raw+fallback maps as raw", () => {
    const fallback = { delaySeconds: 60, visual: { title: "F" } };
    expect(mapWns(aRawNotification({ fallback }), aContext())).toEqual(mapWns(aRawNotification(), aContext()));
  });

  it("refuses raw content over 5000 bytes", () => {
    expect(() => mapWns(aRawNotification({ rawContent: "x".repeat(5001) }), aContext())).toThrow(PayloadTooLargeError);
    expect(mapWns(aRawNotification({ rawContent: "x".repeat(5000) }), aContext())).toHaveLength(1);
  });
});

describe("mapWns: both", () => {
  it("puts the raw content in the launch argument when the toast still fits", () => {
    const sends = mapWns(aNotification({ rawContent: "r<1>" }), aContext());
    expect(sends).toHaveLength(1);
    expect(JSON.parse(toastOf(sends[0].body)["@_launch"]).rawContent).toBe("r<1>");
  });

  it("else sends the toast without it plus a second wns/raw send", () => {
    const raw = "x".repeat(4800);
    const [toast, rawSend] = mapWns(aNotification({ rawContent: raw }), aContext());
    expect(JSON.parse(toastOf(toast.body)["@_launch"]).rawContent).toBeUndefined();
    expect(rawSend).toMatchObject({ purpose: "windows-raw", body: raw, contentType: "application/octet-stream" });
    expect(rawSend.headers["X-WNS-Priority"]).toBe("2"); // raw side keeps the caller's priority (None)
  });
});
