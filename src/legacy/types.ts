/** The four platform families a legacy caller can target (`targetPolicy.platformTypes`). */
export const PLATFORMS = ["windows", "ios", "android", "webpush"] as const;
export type Platform = (typeof PLATFORMS)[number];

export type Priority = "High" | "Low" | "None";

export interface VisualContent {
  title: string;
  body?: string;
}

/** iOS raw-with-visual fallback (`fallbackPolicy.endpointFallback`). */
export interface EndpointFallback {
  delaySeconds: number;
  visual: VisualContent;
}

/**
 * A legacy request after validation: every default applied, every case folded.
 * Pure data; the mapping modules turn it into native sends.
 */
export interface LegacyNotification {
  targetHostName: string;
  appNotificationId?: string;
  groupName?: string;
  /** Targeted platforms in canonical order, de-duplicated; all four when the caller named none. */
  platforms: Platform[];
  rawContent?: string;
  visual?: VisualContent;
  /** Seconds; carried in metadata only (no platform can set it server-side). */
  displayTimeToLive?: number;
  expiresAt: Date;
  priority: Priority;
  fallback?: EndpointFallback;
}

/** The installations a notification for a registered subscription targeted, as they were when it was accepted. */
export interface NotificationTargets {
  subscriptionId: string;
  installationCount: number;
  installations: Array<{ id: string; platform: string }>;
}

/** A notification the bridge has accepted: the validated request plus identity and timing. */
export interface AcceptedNotification extends LegacyNotification {
  /** The bridge's own id (a GUID), returned to the caller as `id`. */
  id: string;
  /** The `X-UNS-ID` this notification targets; for a subscription the bridge knows, its primary id (also for delegated callers). */
  unsId: string;
  createdAt: Date;
  /** Set when unsId is a subscription the bridge registered (sends target `$UserId:{unsId}`). */
  targets?: NotificationTargets;
}
