import { describe, expect, it } from "vitest";
import { checkInstallationId, checkInstallationRequest, checkPushChannel } from "./installation-request.js";

const APNS = "a1B2".repeat(16);
const FCM = `dQw4w9WgXcQ:APA91b${"F".repeat(140)}`;
const WNS = "https://db5.notify.windows.com/?token=AwYAAAD";
const P256DH = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";
const AUTH = "tBHItJI5svbpez7KI4CCXg";
const BROWSER = { endpoint: "https://fcm.googleapis.com/fcm/send/abc", p256dh: P256DH, auth: AUTH };

const problem = (r: { ok: boolean; problem?: string }) => (r.ok ? undefined : r.problem);

describe("checkPushChannel", () => {
  it("accepts each platform's real channel shape; APNs tokens are lower-cased", () => {
    expect(checkPushChannel("apns", APNS)).toEqual({ ok: true, value: APNS.toLowerCase() });
    expect(checkPushChannel("fcmv1", FCM)).toEqual({ ok: true, value: FCM });
    expect(checkPushChannel("wns", WNS)).toEqual({ ok: true, value: WNS });
    expect(checkPushChannel("browser", BROWSER)).toEqual({ ok: true, value: BROWSER });
    expect(checkPushChannel("browser", { ...BROWSER, auth: `${AUTH}==` }).ok).toBe(true);
  });

  it.each([
    ["apns", "not-hex-at-all", /APNs device token in hex/],
    ["apns", "abc", /hex/],
    ["apns", "ab".repeat(31), /64-200 hex digits/],
    ["apns", "ab".repeat(101), /hex/],
    ["apns", `${"ab".repeat(32)}a`, /hex/],
    ["apns", 42, /must be a string/],
    ["fcmv1", "short-token", /FCM registration token/],
    ["fcmv1", `${"x".repeat(120)} spaces`, /FCM/],
    ["fcmv1", `${"x".repeat(120)}/slash`, /FCM/],
    ["fcmv1", "x".repeat(4097), /FCM/],
    ["wns", "http://db5.notify.windows.com/?token=x", /https URL on \*\.notify\.windows\.com/],
    ["wns", "https://evil.example/?token=x", /notify\.windows\.com/],
    ["wns", "https://notify.windows.com.evil.example/", /notify\.windows\.com/],
    ["wns", "https://user:pw@db5.notify.windows.com/", /WNS channel URI/],
    ["wns", "not a url", /WNS/],
  ] as const)("refuses %s channel %j, naming pushChannel", (platform, channel, why) => {
    const p = problem(checkPushChannel(platform, channel));
    expect(p).toMatch(/^'pushChannel'/);
    expect(p).toMatch(why);
  });

  it.each([
    ["a string", "https://push.example/x", /^'pushChannel' must be the browser's PushSubscription/],
    ["an http endpoint", { ...BROWSER, endpoint: "http://push.example/x" }, /^'pushChannel\.endpoint'/],
    ["a missing endpoint", { p256dh: P256DH, auth: AUTH }, /^'pushChannel\.endpoint'/],
    ["a short p256dh", { ...BROWSER, p256dh: P256DH.slice(0, 40) }, /^'pushChannel\.p256dh'.*65 bytes/],
    ["a compressed p256dh", { ...BROWSER, p256dh: Buffer.concat([Buffer.from([2]), Buffer.alloc(64, 1)]).toString("base64url") }, /^'pushChannel\.p256dh'/],
    ["a p256dh in standard base64", { ...BROWSER, p256dh: `${P256DH.slice(0, 80)}+/` }, /^'pushChannel\.p256dh'/],
    ["a long auth", { ...BROWSER, auth: Buffer.alloc(32).toString("base64url") }, /^'pushChannel\.auth'.*16 bytes/],
    ["no auth", { endpoint: BROWSER.endpoint, p256dh: P256DH }, /^'pushChannel\.auth'/],
    ["an unknown key", { ...BROWSER, expirationTime: null }, /^'pushChannel\.expirationTime'/],
  ])("refuses a browser channel with %s, naming the field", (_name, channel, why) => {
    expect(problem(checkPushChannel("browser", channel))).toMatch(why);
  });
});

describe("checkInstallationRequest", () => {
  it("normalises the platform's case (Azure's docs spell fcmV1)", () => {
    const r = checkInstallationRequest({ targetHostName: "notify.contoso.com", platform: "fcmV1", pushChannel: FCM });
    expect(r).toEqual({ ok: true, value: { targetHostName: "notify.contoso.com", platform: "fcmv1", pushChannel: FCM } });
  });

  it.each([
    ["an array", [], /JSON object/],
    ["an unknown platform", { targetHostName: "h", platform: "baidu", pushChannel: "x" }, /^'platform' must be one of apns, fcmv1, wns, browser/],
    ["no platform", { targetHostName: "h", pushChannel: "x" }, /^'platform'/],
    ["a tags property", { targetHostName: "h", platform: "apns", pushChannel: APNS, tags: ["all-users"] }, /^'tags' is not a property/],
    ["a userId property", { targetHostName: "h", platform: "apns", pushChannel: APNS, userId: "someone-else" }, /^'userId' is not a property/],
  ])("refuses %s", (_name, body, why) => {
    expect(problem(checkInstallationRequest(body))).toMatch(why);
  });
});

describe("checkInstallationId", () => {
  it("accepts GUIDs and device-style ids, refuses the rest naming installationId", () => {
    expect(checkInstallationId("3f2504e0-4f89-41d3-9a0c-0305e82c3301")).toBeUndefined();
    expect(checkInstallationId("alice.iphone_15:app@1")).toBeUndefined();
    for (const bad of ["", "x".repeat(129), "has space", "slash/inside", "tag||or"]) expect(checkInstallationId(bad)).toMatch(/^'installationId'/);
  });
});
