import { createHash } from "node:crypto";
import type { AcceptedNotification } from "../../../legacy/types.js";

type KeyInput = Pick<AcceptedNotification, "appNotificationId" | "id">;

/** Lower-case hex SHA-256 of the UTF-8 text, cut to `length` characters. */
export function hashHex(text: string, length: number): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, length);
}

/** The value itself when it already satisfies the platform's rule, else a hash prefix of it. */
function fitOrHash(value: string, rule: RegExp, hashLength: number): string {
  return rule.test(value) ? value : hashHex(value, hashLength);
}

/** What replaces what: the caller's appNotificationId, else the bridge's own id. */
export function replaceKeySource(n: KeyInput): string {
  return n.appNotificationId ?? n.id;
}

// Header-safe printable ASCII without spaces; APNs allows 64 bytes.
const APNS_RULE = /^[!-~]{1,64}$/;
// WNS X-WNS-Tag / X-WNS-Group: at most 16 alphanumerics.
const WNS_RULE = /^[A-Za-z0-9]{1,16}$/;
// RFC 8030 Topic: at most 32 characters of the URL-safe base64 alphabet.
const TOPIC_RULE = /^[A-Za-z0-9_-]{1,32}$/;

/** `apns-collapse-id`; also FCM's tag, so the same id replaces the same notification on both. */
export function apnsCollapseId(n: KeyInput): string {
  return fitOrHash(replaceKeySource(n), APNS_RULE, 64);
}

/** `android.notification.tag`: same rule and value as the APNs collapse id. */
export function fcmTag(n: KeyInput): string {
  return apnsCollapseId(n);
}

/**
 * `android.collapse_key` only when the caller named an appNotificationId: FCM keeps at most four
 * distinct collapse keys per device, so a fresh key per notification could lose stored messages.
 */
export function fcmCollapseKey(n: KeyInput): string | undefined {
  return n.appNotificationId === undefined ? undefined : apnsCollapseId(n);
}

export function wnsTag(n: KeyInput): string {
  return fitOrHash(replaceKeySource(n), WNS_RULE, 16);
}

export function wnsGroup(groupName: string): string {
  return fitOrHash(groupName, WNS_RULE, 16);
}

export function webPushTopic(n: KeyInput): string {
  return fitOrHash(replaceKeySource(n), TOPIC_RULE, 32);
}
