import type { EndpointFallback } from "../../../legacy/types.js";
import type { NativeSend } from "../../native-send.js";

/** What became of a notification's iOS fallback alert, as the preview and the status endpoint report it. */
export type FallbackAlertView =
  | { state: "immediate"; reason: string }
  | { state: "scheduled"; dueDateTime: string }
  | { state: "dropped"; dueDateTime: string; expirationDateTime: string; reason: string };

/**
 * Read from the planned sends: an alert sent at once (immediate mode), one scheduled after the
 * background push (deferred), or none beside a background push because it would fall due at or
 * after expiry (deferred, where the mapping drops it). null without a fallbackPolicy or iOS send.
 */
export function describeFallbackAlert(
  n: { fallback?: EndpointFallback; createdAt: Date; expiresAt: Date },
  sends: ReadonlyArray<Pick<NativeSend, "platform" | "purpose" | "headers" | "scheduledAt">>,
): FallbackAlertView | null {
  const ios = sends.find((s) => s.platform === "ios" && s.purpose === "primary");
  if (!n.fallback || !ios) return null;
  const alert = sends.find((s) => s.purpose === "ios-fallback-alert");
  if (alert?.scheduledAt) return { state: "scheduled", dueDateTime: alert.scheduledAt };
  if (ios.headers["apns-push-type"] !== "background")
    return { state: "immediate", reason: "Sent at once as an alert (IOS_FALLBACK_MODE=immediate, or no outbox to cancel a deferred one)." };
  const due = new Date(n.createdAt.getTime() + n.fallback.delaySeconds * 1000).toISOString();
  const expires = n.expiresAt.toISOString();
  return {
    state: "dropped",
    dueDateTime: due,
    expirationDateTime: expires,
    reason: `The fallback alert would fall due at ${due}, at or after the notification's expiry (${expires}), so it is never sent: only the background push goes out. Use a shorter fallbackDelayInSeconds or a later expirationDateTime.`,
  };
}
