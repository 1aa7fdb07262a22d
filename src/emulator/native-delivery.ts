import type { NativeNotification } from "./native-types.js";
import { inferApnsPushType } from "./validate-apns.js";

/**
 * The headers NH puts on the request to the platform, built from a send's native headers.
 * Bodies are recorded as NH received them (NH adds the FCM token and encrypts Web Push itself).
 */
const WNS_NAMES: Record<string, string> = {
  "x-wns-type": "X-WNS-Type",
  "x-wns-cache-policy": "X-WNS-Cache-Policy",
  "x-wns-requestforstatus": "X-WNS-RequestForStatus",
  "x-wns-tag": "X-WNS-Tag",
  "x-wns-ttl": "X-WNS-TTL",
  "x-wns-group": "X-WNS-Group",
  "x-wns-priority": "X-WNS-PRIORITY",
};
const WEB_PUSH_NAMES: Record<string, string> = { ttl: "TTL", urgency: "Urgency", topic: "Topic" };

function appleHeaders(n: NativeNotification): Record<string, string> {
  const { "servicebusnotification-apns-expiry": expiry, ...apns } = n.headers;
  const headers: Record<string, string> = { "content-type": "application/json", ...apns };
  // NH fills in the push type when the caller leaves it out (NH "updates for iOS 13").
  headers["apns-push-type"] ??= inferApnsPushType(n.body);
  if (expiry !== undefined && headers["apns-expiration"] === undefined) {
    headers["apns-expiration"] = String(Math.floor(Date.parse(expiry) / 1000));
  }
  return headers;
}

function renamed(headers: Record<string, string>, names: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [names[name] ?? name, value]));
}

export function buildDeliveredHeaders(n: NativeNotification): Record<string, string> {
  switch (n.format) {
    case "apple":
      return appleHeaders(n);
    case "fcmv1":
      return { "Content-Type": "application/json; charset=UTF-8" };
    case "windows": {
      const raw = n.headers["x-wns-type"] === "wns/raw";
      return { "Content-Type": raw ? "application/octet-stream" : "text/xml", ...renamed(n.headers, WNS_NAMES) };
    }
    case "browser":
      return { "Content-Type": "application/json", ...renamed(n.headers, WEB_PUSH_NAMES) };
  }
}
