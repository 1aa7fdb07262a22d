import type { RecordedDelivery } from "../model.js";
import { describeAsData, type RenderedDelivery } from "./rendered-delivery.js";
import { isRecord, parseJsonObject, prettyJson, readText, type JsonObject } from "./payload-helpers.js";

/** Native fields FCM carries in the body rather than in headers; shown beside the headers. */
const ANDROID_FIELDS = ["priority", "ttl", "collapse_key", "restricted_package_name"] as const;

function readAndroidFields(android: JsonObject, notification: JsonObject): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const name of ANDROID_FIELDS) {
    const value = readText(android[name]);
    if (value !== undefined) fields[`android.${name}`] = value;
  }
  const tag = readText(notification.tag);
  if (tag !== undefined) fields["android.notification.tag"] = tag;
  const channel = readText(notification.channel_id);
  if (channel !== undefined) fields["android.notification.channel_id"] = channel;
  return fields;
}

/** FCM HTTP v1 wants a flat string-to-string `data` map and, through NH, no `token`. */
function findAndroidProblems(message: JsonObject, data: unknown): string[] {
  const problems: string[] = [];
  if (data !== undefined && !isRecord(data)) problems.push("message.data must be an object of strings");
  if (isRecord(data) && Object.values(data).some((value) => typeof value !== "string")) {
    problems.push("message.data values must be strings: FCM rejects nested objects and numbers");
  }
  if (message.token !== undefined) problems.push("message.token is set: Notification Hubs addresses the device itself");
  return problems;
}

/**
 * FCM v1 bodies are `{"message": {...}}`; legacy GCM bodies have `notification`/`data` at the top.
 * `android.notification` fields override `message.notification` ones, as FCM documents.
 */
export function describeAndroidDelivery(delivery: RecordedDelivery): RenderedDelivery {
  const payload = parseJsonObject(delivery.body);
  if (payload === undefined) return describeAsData(delivery, "FCM message", ["body is not a JSON object: FCM rejects it"]);
  const wrapped = delivery.platform === "fcmv1";
  if (wrapped && !isRecord(payload.message)) {
    return describeAsData(delivery, "FCM message", ['FCM v1 body must be {"message": {...}}']);
  }
  const message = wrapped ? (payload.message as JsonObject) : payload;
  const android = isRecord(message.android) ? message.android : {};
  const common = isRecord(message.notification) ? message.notification : {};
  const specific = isRecord(android.notification) ? android.notification : {};
  const headers = { ...delivery.headers, ...readAndroidFields(android, specific) };
  const problems = findAndroidProblems(message, message.data);
  const title = readText(specific.title) ?? readText(common.title);
  const body = readText(specific.body) ?? readText(common.body);
  if (title === undefined && body === undefined) {
    return { ...describeAsData(delivery, "Data message", problems), headers };
  }
  return {
    kind: "android-notification",
    label: "Android notification",
    appName: readText(android.restricted_package_name) ?? delivery.hub,
    title,
    body,
    headers,
    data: message.data === undefined ? undefined : prettyJson(message.data),
    problems,
  };
}
