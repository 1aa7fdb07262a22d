import {
  byteLength, formatProblem, mediaTypeOf, parseJsonObject, sizeProblem,
  type NativeNotification, type PayloadProblem, type SendFormat,
} from "./native-types.js";
import { validateApnsNotification } from "./validate-apns.js";
import { validateFcmV1Notification } from "./validate-fcm.js";
import { validateWnsNotification } from "./validate-wns.js";

/**
 * Checks a native notification the way its platform would, so a bad payload fails at the
 * emulator (400) instead of vanishing at a real PNS. Returns the first problem found.
 */
export function validateNativeNotification(n: NativeNotification): PayloadProblem | undefined {
  switch (n.format) {
    case "apple":
      return validateApnsNotification(n);
    case "fcmv1":
      return validateFcmV1Notification(n);
    case "windows":
      return validateWnsNotification(n);
    case "browser":
      return validateBrowserNotification(n);
  }
}

/** A 4096-byte aes128gcm record minus its header (86), tag (16) and padding delimiter (1): RFC 8291. */
export const MAX_WEB_PUSH_PLAINTEXT = 3993;
const URGENCIES = new Set(["very-low", "low", "normal", "high"]);

/** Web Push through NH `browser` (RFC 8030 headers TTL, Urgency, Topic). */
function validateBrowserNotification(n: NativeNotification): PayloadProblem | undefined {
  if (mediaTypeOf(n.contentType) !== "application/json") return formatProblem("a browser notification must be application/json");
  const { ttl, urgency, topic, ...others } = n.headers;
  const unknown = Object.keys(others)[0];
  if (unknown) return formatProblem(`Web Push has no header '${unknown}'`);
  if (ttl !== undefined && !/^\d+$/.test(ttl)) return formatProblem("TTL must be whole seconds");
  if (urgency !== undefined && !URGENCIES.has(urgency)) return formatProblem("Urgency must be very-low, low, normal or high");
  if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(topic)) return formatProblem("Topic must be 1-32 base64url characters");
  const size = byteLength(n.body);
  if (size > MAX_WEB_PUSH_PLAINTEXT) return sizeProblem("The Web Push", size, MAX_WEB_PUSH_PLAINTEXT);
  if (!parseJsonObject(n.body)) return formatProblem("a browser notification body must be a JSON object");
  return undefined;
}

const FAMILIES: Record<SendFormat, (name: string) => boolean> = {
  apple: (name) => name.startsWith("apns-") || name === "servicebusnotification-apns-expiry",
  fcmv1: () => false,
  windows: (name) => name.startsWith("x-wns-"),
  browser: (name) => name === "ttl" || name === "urgency" || name === "topic",
};

/** Is this request header a native header of some platform (passed through by NH)? */
export function isNativeHeader(name: string): boolean {
  return Object.values(FAMILIES).some((belongs) => belongs(name));
}

/**
 * Splits the native headers of a request into those of the send's platform and those of other
 * platforms (which NH would not forward: the emulator refuses them to surface the mistake).
 */
export function splitNativeHeaders(
  format: SendFormat,
  headers: Record<string, string>,
): { own: Record<string, string>; foreign: string[] } {
  const own: Record<string, string> = {};
  const foreign: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (FAMILIES[format](name)) own[name] = value;
    else if (isNativeHeader(name)) foreign.push(name);
  }
  return { own, foreign };
}

export { byteLength };
