import type { Platform } from "../legacy/types.js";

/** Notification Hubs `ServiceBusNotification-Format` values the bridge sends. */
export type HubFormat = "apple" | "fcmv1" | "windows" | "browser";

export const FORMAT_OF_PLATFORM: Record<Platform, HubFormat> = {
  ios: "apple",
  android: "fcmv1",
  windows: "windows",
  webpush: "browser",
};

/**
 * One native send exactly as the hubs strategy hands it to Notification Hubs.
 * The preview endpoint returns these; the sender sends them unchanged.
 */
export interface NativeSend {
  platform: Platform;
  format: HubFormat;
  /**
   * Why this send exists: the primary one, the second WNS raw send of a `both` notification, the
   * iOS fallback alert, or a silent push telling a user's other devices that an item's state changed.
   */
  purpose: "primary" | "windows-raw" | "ios-fallback-alert" | "feed-sync";
  tagExpression: string;
  contentType: string;
  /** Native headers passed through Notification Hubs to the platform (apns-*, X-WNS-*, TTL...). */
  headers: Record<string, string>;
  body: string;
  /** When set, the send is scheduled (deferred iOS fallback) at this instant. */
  scheduledAt?: string;
  /** Correlation with the accepting request, carried through the outbox; never sent to NH. */
  trace?: { requestId: string; traceparent?: string };
  /** The routing destination (ROUTING_FILE) that sends it, chosen at accept time; never sent to NH. */
  destination?: string;
}
