import {
  byteLength, formatProblem, isPlainObject, mediaTypeOf, parseJsonObject, sizeProblem,
  type NativeNotification, type PayloadProblem,
} from "./native-types.js";

/**
 * APNs rules (developer.apple.com/documentation/usernotifications/sending-notification-requests-to-apns):
 * JSON with `aps`, 4096 bytes (VoIP 5120), push type matching the content, background at priority 5.
 */
const PUSH_TYPES = new Set([
  "alert", "background", "voip", "complication", "fileprovider", "mdm", "location", "liveactivity", "pushtotalk",
]);
const HEADERS = new Set([
  "apns-push-type", "apns-priority", "apns-expiration", "apns-collapse-id", "apns-id", "apns-topic",
  "servicebusnotification-apns-expiry",
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkHeaders(h: Record<string, string>): PayloadProblem | undefined {
  const unknown = Object.keys(h).find((name) => !HEADERS.has(name));
  if (unknown) return formatProblem(`APNs has no header '${unknown}'`);
  const type = h["apns-push-type"];
  if (type !== undefined && !PUSH_TYPES.has(type)) return formatProblem(`apns-push-type '${type}' is not an APNs push type`);
  const priority = h["apns-priority"];
  if (priority !== undefined && !["1", "5", "10"].includes(priority)) return formatProblem("apns-priority must be 1, 5 or 10");
  const expiration = h["apns-expiration"];
  if (expiration !== undefined && !/^\d+$/.test(expiration)) return formatProblem("apns-expiration must be a UNIX time in seconds");
  const collapseId = h["apns-collapse-id"];
  if (collapseId !== undefined && byteLength(collapseId) > 64) return formatProblem("apns-collapse-id must be at most 64 bytes");
  if (h["apns-id"] !== undefined && !UUID.test(h["apns-id"])) return formatProblem("apns-id must be a UUID (8-4-4-4-12)");
  const expiry = h["servicebusnotification-apns-expiry"];
  if (expiry !== undefined && Number.isNaN(Date.parse(expiry))) {
    return formatProblem("ServiceBusNotification-Apns-Expiry must be a W3C date-time");
  }
  return undefined;
}

function checkPushType(aps: Record<string, unknown>, h: Record<string, string>): PayloadProblem | undefined {
  const type = h["apns-push-type"];
  const visible = ["alert", "sound", "badge"].filter((k) => aps[k] !== undefined);
  if (type === "background") {
    if (aps["content-available"] !== 1) return formatProblem("a background push needs aps.content-available = 1");
    if (visible.length > 0) return formatProblem(`a background push must not carry aps.${visible.join(", aps.")}`);
    if (h["apns-priority"] !== "5") return formatProblem("a background push must be sent with apns-priority 5");
  }
  if (type === "alert" && aps.alert === undefined) return formatProblem("an alert push needs aps.alert");
  return undefined;
}

export function validateApnsNotification(n: NativeNotification): PayloadProblem | undefined {
  if (mediaTypeOf(n.contentType) !== "application/json") return formatProblem("an apple notification must be application/json");
  const headerProblem = checkHeaders(n.headers);
  if (headerProblem) return headerProblem;
  const limit = n.headers["apns-push-type"] === "voip" ? 5120 : 4096;
  const size = byteLength(n.body);
  if (size > limit) return sizeProblem("The APNs", size, limit);
  const payload = parseJsonObject(n.body);
  if (!payload) return formatProblem("the APNs payload must be a JSON object");
  if (!isPlainObject(payload.aps)) return formatProblem("the APNs payload must have an 'aps' dictionary");
  return checkPushType(payload.aps, n.headers);
}

/** NH infers the push type when the caller sends none (NH iOS 13 update notes). */
export function inferApnsPushType(body: string): "alert" | "background" {
  const aps = parseJsonObject(body)?.aps;
  if (!isPlainObject(aps)) return "alert";
  const visible = ["alert", "sound", "badge"].some((k) => aps[k] !== undefined);
  return aps["content-available"] === 1 && !visible ? "background" : "alert";
}
