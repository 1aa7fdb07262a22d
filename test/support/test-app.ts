import { createApp, type AppDeps } from "../../src/app.js";
import { anonymous } from "../../src/http/authenticate.js";

export const RECORDED_RAW = {
  targetHostName: "graphnotifications.sample.windows.com", appNotificationId: "sampleRawNotification",
  payload: { rawContent: "Hello World!" }, targetPolicy: { platformTypes: ["windows", "ios", "android"] },
  priority: "High", displayTimeToLive: "60",
};
export const RECORDED_VISUAL = {
  targetHostName: "graphnotifications.sample.windows.com", appNotificationId: "testDirectToastNotification",
  expirationDateTime: "2019-10-30T23:59:00.000Z", payload: { visualContent: { title: "Hello World!", body: "Notifications are Great!" } },
  targetPolicy: { platformTypes: ["windows", "ios", "android"] }, priority: "High", groupName: "TestGroup", displayTimeToLive: "60",
};
/** The recorded examples date from October 2019; the clock sits just before their expiry. */
export const RECORDED_NOW = new Date("2019-10-25T12:00:00.000Z");

export function aLegacyNotification(overrides: Record<string, unknown> = {}) {
  return { targetHostName: "notify.contoso.com", appNotificationId: "order-42", payload: { rawContent: "order 42 shipped" }, ...overrides };
}

export function testApp(d: Partial<AppDeps> & Pick<AppDeps, "strategy">) {
  return createApp({
    authenticate: anonymous,
    authMode: "none",
    now: () => RECORDED_NOW,
    limits: { maxBodyBytes: 65_536, rateLimitPerMinute: 0, rateLimitStatus: 429, maxUrlLength: 2048 },
    ...d,
  });
}
