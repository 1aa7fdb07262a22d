import { describe, expect, it } from "vitest";
import { describeProblems, validateLegacyNotification } from "./request-schema.js";

const NOW = new Date("2019-10-25T12:00:00.000Z");
const base = { targetHostName: "graphnotifications.sample.windows.com", payload: { rawContent: "Hello" } };

function ok(body: unknown) {
  const r = validateLegacyNotification(body, NOW);
  if (!r.ok) throw new Error(describeProblems(r.problems));
  return r.value;
}
function problems(body: unknown) {
  const r = validateLegacyNotification(body, NOW);
  if (r.ok) throw new Error("expected a validation failure");
  return r.problems;
}

describe("legacy request schema", () => {
  it("accepts the recorded raw example with string TTL and lower-case platforms", () => {
    const v = ok({
      targetHostName: "graphnotifications.sample.windows.com", appNotificationId: "sampleRawNotification",
      payload: { rawContent: "Hello World!" }, targetPolicy: { platformTypes: ["windows", "ios", "android"] },
      priority: "High", displayTimeToLive: "60",
    });
    expect(v.platforms).toEqual(["windows", "ios", "android"]);
    expect(v.displayTimeToLive).toBe(60);
    expect(v.priority).toBe("High");
    expect(v.rawContent).toBe("Hello World!");
  });

  it("accepts the recorded visual example with its expiry and group", () => {
    const v = ok({
      targetHostName: "graphnotifications.sample.windows.com", appNotificationId: "testDirectToastNotification",
      expirationDateTime: "2019-10-30T23:59:00.000Z", payload: { visualContent: { title: "Hello World!", body: "Notifications are Great!" } },
      targetPolicy: { platformTypes: ["windows", "ios", "android"] }, priority: "High", groupName: "TestGroup", displayTimeToLive: "60",
    });
    expect(v.visual).toEqual({ title: "Hello World!", body: "Notifications are Great!" });
    expect(v.expiresAt.toISOString()).toBe("2019-10-30T23:59:00.000Z");
    expect(v.groupName).toBe("TestGroup");
  });

  it("unwraps the {notification: {...}} envelope", () => {
    expect(ok({ notification: base }).targetHostName).toBe(base.targetHostName);
  });

  it("matches platform types and priority case-insensitively", () => {
    const v = ok({ ...base, targetPolicy: { platformTypes: ["IOS", "WebPush", "ANDROID"] }, priority: "lOw" });
    expect(v.platforms).toEqual(["ios", "android", "webpush"]);
    expect(v.priority).toBe("Low");
  });

  it("targets all platforms when platformTypes is absent or empty", () => {
    expect(ok(base).platforms).toEqual(["windows", "ios", "android", "webpush"]);
    expect(ok({ ...base, targetPolicy: { platformTypes: [] } }).platforms).toHaveLength(4);
  });

  it("rejects an unknown platform naming it", () => {
    const p = problems({ ...base, targetPolicy: { platformTypes: ["blackberry"] } });
    expect(p[0].field).toBe("targetPolicy.platformTypes.0");
    expect(p[0].message).toContain("blackberry");
  });

  it("defaults priority to None and rejects unknown priorities", () => {
    expect(ok(base).priority).toBe("None");
    expect(problems({ ...base, priority: "urgent" })[0].field).toBe("priority");
  });

  it("requires targetHostName", () => {
    expect(problems({ payload: { rawContent: "x" } })[0].field).toBe("targetHostName");
    expect(problems({ ...base, targetHostName: "  " })[0].field).toBe("targetHostName");
  });

  it("requires a payload with raw or visual content", () => {
    expect(problems({ targetHostName: "h" })[0].field).toBe("payload");
    expect(problems({ targetHostName: "h", payload: {} })[0].message).toContain("rawContent or visualContent");
  });

  it("requires a visual title", () => {
    const p = problems({ targetHostName: "h", payload: { visualContent: { body: "b" } } });
    expect(p[0].field).toBe("payload.visualContent.title");
    expect(problems({ targetHostName: "h", payload: { visualContent: { title: "" } } })[0].field).toBe("payload.visualContent.title");
  });

  it("accepts displayTimeToLive as a number or numeric string and rejects others", () => {
    expect(ok({ ...base, displayTimeToLive: 59 }).displayTimeToLive).toBe(59);
    expect(problems({ ...base, displayTimeToLive: "sixty" })[0].field).toBe("displayTimeToLive");
    expect(problems({ ...base, displayTimeToLive: -1 })[0].field).toBe("displayTimeToLive");
    expect(problems({ ...base, displayTimeToLive: 1.5 })[0].field).toBe("displayTimeToLive");
  });

  it("defaults expiry to 7 days after now", () => {
    expect(ok(base).expiresAt.toISOString()).toBe("2019-11-01T12:00:00.000Z");
  });

  it("rejects an expiry in the past, more than 30 days ahead, or malformed", () => {
    expect(problems({ ...base, expirationDateTime: "2019-10-01T00:00:00Z" })[0].message).toContain("future");
    expect(problems({ ...base, expirationDateTime: "2019-12-25T12:00:01Z" })[0].message).toContain("30 days");
    expect(problems({ ...base, expirationDateTime: "next tuesday" })[0].field).toBe("expirationDateTime");
    expect(problems({ ...base, expirationDateTime: "2019-10-30T23:59:00" })[0].field).toBe("expirationDateTime");
    expect(ok({ ...base, expirationDateTime: "2019-11-24T12:00:00+00:00" }).expiresAt.toISOString()).toBe("2019-11-24T12:00:00.000Z");
  });

  const fallback = (o: Record<string, unknown> = {}) => ({
    endpointFallback: { platformTypes: ["iOS"], fallbackDelayInSeconds: 120, visualContent: { title: "Fallback" }, ...o },
  });

  it("accepts an iOS fallback policy", () => {
    const v = ok({ ...base, priority: "High", fallbackPolicy: fallback({ fallbackDelayInSeconds: "90" }) });
    expect(v.fallback).toEqual({ delaySeconds: 90, visual: { title: "Fallback" } });
  });

  it("keeps the fallback delay within 60..600 seconds", () => {
    expect(problems({ ...base, fallbackPolicy: fallback({ fallbackDelayInSeconds: 59 }) })[0].field).toBe("fallbackPolicy.endpointFallback.fallbackDelayInSeconds");
    expect(problems({ ...base, fallbackPolicy: fallback({ fallbackDelayInSeconds: 601 }) })[0].message).toContain("600");
  });

  it("requires the fallback to target exactly iOS, and iOS to be targeted", () => {
    expect(problems({ ...base, fallbackPolicy: fallback({ platformTypes: ["android"] }) })[0].field).toBe("fallbackPolicy.endpointFallback.platformTypes");
    expect(problems({ ...base, fallbackPolicy: fallback({ platformTypes: ["ios", "android"] }) })[0].message).toContain("exactly");
    expect(problems({ ...base, targetPolicy: { platformTypes: ["android"] }, fallbackPolicy: fallback() })[0].field).toBe("targetPolicy.platformTypes");
  });

  it("requires a fallback visual title", () => {
    expect(problems({ ...base, fallbackPolicy: fallback({ visualContent: {} }) })[0].field).toBe("fallbackPolicy.endpointFallback.visualContent.title");
  });

  it("ignores unknown properties instead of rejecting them", () => {
    expect(ok({ ...base, somethingNew: true, payload: { rawContent: "x", extra: 1 } }).rawContent).toBe("x");
  });

  it("treats null optional properties as absent", () => {
    const v = ok({ ...base, groupName: null, appNotificationId: null, expirationDateTime: null, priority: null, fallbackPolicy: null });
    expect(v.groupName).toBeUndefined();
    expect(v.priority).toBe("None");
  });

  it("rejects non-object bodies and wrong types with the field named", () => {
    expect(problems("hello")[0].field).toBe("body");
    expect(problems({ ...base, targetHostName: 42 })[0].field).toBe("targetHostName");
    expect(problems({ ...base, payload: { rawContent: 5 } })[0].field).toBe("payload.rawContent");
  });

  it("names every offending field in one message", () => {
    const msg = describeProblems(problems({ payload: { visualContent: {} } }));
    expect(msg).toContain("'targetHostName'");
    expect(msg).toContain("'payload.visualContent.title'");
  });
});
