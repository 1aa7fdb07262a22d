import { describe, expect, it } from "vitest";
import { mapToNativeSends, PayloadTooLargeError } from "./index.js";
import { aContext, aNotification, aRawNotification } from "../../../../test/support/mapping-builders.js";

describe("mapToNativeSends", () => {
  it("makes one send per targeted platform, in platform order, all to the context's tag expression", () => {
    const sends = mapToNativeSends(aNotification(), aContext({ tagExpression: "$UserId:abc" }));
    expect(sends.map((s) => [s.platform, s.format])).toEqual([
      ["windows", "windows"], ["ios", "apple"], ["android", "fcmv1"], ["webpush", "browser"],
    ]);
    expect(new Set(sends.map((s) => s.tagExpression))).toEqual(new Set(["$UserId:abc"]));
  });

  it("sends nothing to platforms the caller did not target", () => {
    expect(mapToNativeSends(aNotification({ platforms: ["android"] }), aContext()).map((s) => s.platform)).toEqual(["android"]);
  });

  it("adds the second Windows raw send and the deferred iOS alert where they apply", () => {
    const both = mapToNativeSends(aNotification({ rawContent: "x".repeat(4800), platforms: ["windows"] }), aContext());
    expect(both.map((s) => s.purpose)).toEqual(["primary", "windows-raw"]);
    const fallback = { delaySeconds: 60, visual: { title: "F" } };
    const deferred = mapToNativeSends(aRawNotification({ fallback }), aContext({ iosFallbackMode: "deferred", ackToken: "t" }));
    expect(deferred.map((s) => `${s.platform}:${s.purpose}`)).toEqual(["windows:primary", "ios:primary", "ios:ios-fallback-alert", "android:primary", "webpush:primary"]);
  });

  it("is deterministic: the same input gives byte-identical sends", () => {
    const n = aNotification({ rawContent: "r", groupName: "g", displayTimeToLive: 5 });
    expect(JSON.stringify(mapToNativeSends(n, aContext({ ackToken: "t" })))).toBe(JSON.stringify(mapToNativeSends({ ...n }, aContext({ ackToken: "t" }))));
  });

  it("throws PayloadTooLargeError naming the first platform that cannot carry it", () => {
    const n = aRawNotification({ rawContent: "x".repeat(4500), platforms: ["windows", "ios"] });
    expect(() => mapToNativeSends(n, aContext())).toThrow(PayloadTooLargeError);
    expect(() => mapToNativeSends(n, aContext())).toThrow(/ios/);
  });
});
