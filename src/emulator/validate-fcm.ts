import {
  byteLength, formatProblem, isPlainObject, mediaTypeOf, parseJsonObject, sizeProblem,
  type NativeNotification, type PayloadProblem,
} from "./native-types.js";

/**
 * FCM HTTP v1 through NH (firebase.google.com/docs/reference/fcm/rest/v1/projects.messages;
 * learn.microsoft.com/azure/notification-hubs/firebase-migration-rest): a `{message:{...}}`
 * envelope without a target (NH adds the token), flat string `data`, 4096 bytes.
 */
const MESSAGE_FIELDS = new Set(["data", "notification", "android", "webpush", "apns", "fcm_options", "name"]);
const TARGETS = ["token", "topic", "condition", "fid"];
const MAX_TTL_SECONDS = 2_419_200;

function checkData(data: unknown, where: string): PayloadProblem | undefined {
  if (data === undefined) return undefined;
  if (!isPlainObject(data)) return formatProblem(`${where} must be an object of strings`);
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== "string") return formatProblem(`${where}.${key} must be a string (FCM data is a flat string map)`);
    if (key === "from" || key === "message_type" || key.startsWith("google.") || key.startsWith("gcm.")) {
      return formatProblem(`${where} must not use the reserved key '${key}'`);
    }
  }
  return undefined;
}

function checkAndroid(android: unknown): PayloadProblem | undefined {
  if (android === undefined) return undefined;
  if (!isPlainObject(android)) return formatProblem("message.android must be an object");
  const { ttl, priority } = android;
  if (ttl !== undefined) {
    const match = typeof ttl === "string" ? /^(\d+)(\.\d{1,9})?s$/.exec(ttl) : null;
    if (!match) return formatProblem("message.android.ttl must be a duration string such as \"3600s\"");
    if (Number(match[1]) > MAX_TTL_SECONDS) return formatProblem(`message.android.ttl exceeds ${MAX_TTL_SECONDS}s (28 days)`);
  }
  if (priority !== undefined && !(typeof priority === "string" && ["NORMAL", "HIGH"].includes(priority.toUpperCase()))) {
    return formatProblem("message.android.priority must be NORMAL or HIGH");
  }
  return checkData(android.data, "message.android.data");
}

export function validateFcmV1Notification(n: NativeNotification): PayloadProblem | undefined {
  if (mediaTypeOf(n.contentType) !== "application/json") return formatProblem("an fcmv1 notification must be application/json");
  const header = Object.keys(n.headers)[0];
  if (header) return formatProblem(`FCM v1 takes no native header ('${header}'); use the message fields`);
  const size = byteLength(n.body);
  if (size > 4096) return sizeProblem("The FCM", size, 4096);
  const envelope = parseJsonObject(n.body);
  if (!envelope || !isPlainObject(envelope.message)) return formatProblem("the FCM v1 body must be {\"message\": {...}}");
  const extra = Object.keys(envelope).find((k) => k !== "message");
  if (extra) return formatProblem(`the FCM v1 body has an unknown field '${extra}'`);
  const message = envelope.message;
  const target = TARGETS.find((t) => message[t] !== undefined);
  if (target) return formatProblem(`message.${target} must not be set: Notification Hubs addresses the device`);
  const unknown = Object.keys(message).find((k) => !MESSAGE_FIELDS.has(k));
  if (unknown) return formatProblem(`message has an unknown field '${unknown}'`);
  if (message.notification !== undefined && !isPlainObject(message.notification)) {
    return formatProblem("message.notification must be an object");
  }
  return checkData(message.data, "message.data") ?? checkAndroid(message.android);
}
