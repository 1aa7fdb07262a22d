/** FCM `android.ttl` maximum: 28 days (platform-facts 2). */
export const FCM_MAX_TTL_SECONDS = 2_419_200;

/** Whole seconds from `from` until `expiresAt`, never negative (rounded down, as FCM does). */
export function secondsUntil(expiresAt: Date, from: Date): number {
  return Math.max(0, Math.floor((expiresAt.getTime() - from.getTime()) / 1000));
}

/** W3C date-time without fractions, e.g. `2019-10-30T23:59:00Z` (NH `ServiceBusNotification-Apns-Expiry`). */
export function formatW3cDateTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** protobuf Duration JSON for FCM `android.ttl`, clamped to the 28-day maximum. */
export function formatFcmTtl(expiresAt: Date, from: Date): string {
  return `${Math.min(secondsUntil(expiresAt, from), FCM_MAX_TTL_SECONDS)}s`;
}
