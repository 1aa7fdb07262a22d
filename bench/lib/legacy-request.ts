import { mapToNativeSends } from "../../src/delivery/hubs/mapping/index.js";
import type { NativeSend } from "../../src/delivery/native-send.js";
import { validateLegacyNotification } from "../../src/legacy/request-schema.js";

/** The recorded raw request from Microsoft's App Service sample (legacy-contract.md), three platforms. */
export const RECORDED_RAW_BODY = {
  targetHostName: "graphnotifications.sample.windows.com",
  appNotificationId: "sampleRawNotification",
  payload: { rawContent: "Hello World!" },
  targetPolicy: { platformTypes: ["windows", "ios", "android"] },
  priority: "High",
  displayTimeToLive: "60",
};

export const RECORDED_RAW_JSON = JSON.stringify(RECORDED_RAW_BODY);
export const PLATFORMS_PER_REQUEST = RECORDED_RAW_BODY.targetPolicy.platformTypes.length;

/**
 * One X-UNS-ID per request: the same X-UNS-ID with the same appNotificationId would make every
 * request replace (supersede) the previous one, which is a different workload.
 */
export const unsIdFor = (run: string, n: number): string => `bench-${run}-${n}`;

/** The native sends the bridge makes for the recorded body (what the SDK floor sends). */
export function recordedNativeSends(now: Date): NativeSend[] {
  const r = validateLegacyNotification(RECORDED_RAW_BODY, now);
  if (!r.ok) throw new Error(`recorded body no longer validates: ${JSON.stringify(r.problems)}`);
  return mapToNativeSends(
    { ...r.value, id: "6f3b0d1e-0000-4000-8000-000000000001", unsId: "bench-user", createdAt: now },
    { tagExpression: "$UserId:{bench-user}", iosFallbackMode: "deferred", ackToken: "bench-ack-token", now },
  );
}
