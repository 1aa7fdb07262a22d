import { describe, expect, it } from "vitest";
import { parseBatchBody, parseBoundary } from "./multipart.js";

/** The exact shape @azure/notification-hubs builds (utils/notificationUtils.js). */
function sdkBody(boundary: string, devices: unknown, payload = '{"aps":{}}'): string {
  return (
    `--${boundary}\r\nContent-type: application/json;charset=utf-8\r\nContent-Disposition: inline; name=notification\r\n\r\n${payload}\r\n` +
    `--${boundary}\r\nContent-type: application/json\r\nContent-Disposition: inline; name=devices\r\n\r\n${JSON.stringify(devices)}\r\n` +
    `--${boundary}--`
  );
}

describe("parseBatchBody", () => {
  const type = 'multipart/mixed; boundary = "nh-boundary-1"';
  it("reads the SDK's boundary syntax (spaces around =, quoted)", () => expect(parseBoundary(type)).toBe("nh-boundary-1"));
  it("extracts the payload, its content type and the devices", () => {
    expect(parseBatchBody(type, sdkBody("nh-boundary-1", ["a", "b"]))).toEqual({
      ok: true,
      value: { contentType: "application/json;charset=utf-8", body: '{"aps":{}}', devices: ["a", "b"] },
    });
  });
  it("refuses a non-multipart content type", () => expect(parseBatchBody("application/json", "{}")).toMatchObject({ ok: false }));
  it("refuses an unclosed body", () => expect(parseBatchBody(type, sdkBody("nh-boundary-1", ["a"]).replace(/--$/, ""))).toMatchObject({ ok: false }));
  it("refuses more than 1000 devices", () => {
    const devices = Array.from({ length: 1001 }, (_, i) => `d${i}`);
    expect(parseBatchBody(type, sdkBody("nh-boundary-1", devices))).toMatchObject({ ok: false, error: /at most 1000/ });
  });
  it("refuses an empty or non-string device list", () => {
    expect(parseBatchBody(type, sdkBody("nh-boundary-1", []))).toMatchObject({ ok: false });
    expect(parseBatchBody(type, sdkBody("nh-boundary-1", [1]))).toMatchObject({ ok: false });
  });
});
