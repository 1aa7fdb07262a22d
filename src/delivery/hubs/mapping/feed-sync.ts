import type { Platform } from "../../../legacy/types.js";
import { PLATFORMS } from "../../../legacy/types.js";
import type { FeedItemRecord } from "../../../store/feed.js";
import type { NativeSend } from "../../native-send.js";
import { buildSend, JSON_CONTENT_TYPE } from "./build-send.js";
import { apnsCollapseId, fcmCollapseKey, fcmTag, webPushTopic, wnsGroup, wnsTag } from "./collapse-key.js";
import { formatFcmTtl, formatW3cDateTime, secondsUntil } from "./expiry.js";

/** The key the sync payload sits under (beside `aps` on APNs, as a `data` key on FCM). */
export const SYNC_KEY = "gnbSync";
/** Changes named in one push; more than this and the push says `more` (the app calls delta). Keeps every platform under its 4 KB limit. */
export const MAX_CHANGES_PER_PUSH = 8;

export interface SyncChange {
  id: string;
  appNotificationId?: string;
  readState: string;
  userActionState: string;
  version: number;
  lastModifiedDateTime: string;
  /** The keys the original carried on this platform, so the app can remove what it shows. */
  replaceKeys: Record<string, string>;
}

export interface SyncPayload {
  type: "feedStateChanged";
  changes: SyncChange[];
  more: boolean;
}

type Item = Pick<FeedItemRecord, "id" | "readState" | "userActionState" | "version" | "modifiedAt" | "notification">;

/** The replace/collapse keys the original notification's sends carried on `platform` (mapping/collapse-key.ts). */
export function replaceKeysOf(item: Item, platform: Platform): Record<string, string> {
  const n = item.notification;
  switch (platform) {
    case "ios":
      return { apnsCollapseId: apnsCollapseId(n) };
    case "android": {
      const collapseKey = fcmCollapseKey(n);
      return { fcmTag: fcmTag(n), ...(collapseKey !== undefined ? { fcmCollapseKey: collapseKey } : {}) };
    }
    case "windows":
      return { wnsTag: wnsTag(n), ...(n.groupName !== undefined ? { wnsGroup: wnsGroup(n.groupName) } : {}) };
    case "webpush":
      return { webPushTopic: webPushTopic(n) };
  }
}

export function syncPayload(items: Item[], platform: Platform): SyncPayload {
  const changes = items.slice(0, MAX_CHANGES_PER_PUSH).map((item) => ({
    id: item.id,
    ...(item.notification.appNotificationId !== undefined ? { appNotificationId: item.notification.appNotificationId } : {}),
    readState: item.readState,
    userActionState: item.userActionState,
    version: item.version,
    lastModifiedDateTime: item.modifiedAt.toISOString(),
    replaceKeys: replaceKeysOf(item, platform),
  }));
  return { type: "feedStateChanged", changes, more: items.length > changes.length };
}

/** `(target) && !$InstallationId:{origin}`: every device of the user but the one that made the change. */
export function excludeOrigin(target: string, originInstallationId: string | undefined): string {
  return originInstallationId === undefined ? target : `(${target}) && !$InstallationId:{${originInstallationId}}`;
}

/**
 * The silent pushes telling a user's other devices that feed items changed: one per platform the
 * items were sent to. APNs background (priority 5, content-available only), FCM data message,
 * WNS raw, Web Push; none displays anything. They never carry the original's collapse keys as
 * headers: a push service would then drop a still-queued original in favour of the sync push.
 */
export function mapFeedSync(items: Item[], o: { tagExpression: string; originInstallationId?: string; now: Date }): NativeSend[] {
  const ctx = { tagExpression: excludeOrigin(o.tagExpression, o.originInstallationId), iosFallbackMode: "immediate" as const, now: o.now };
  const expiresAt = new Date(Math.max(...items.map((i) => i.notification.expiresAt.getTime())));
  const platforms = PLATFORMS.filter((p) => items.some((i) => i.notification.platforms.includes(p)));
  return platforms.map((platform) => {
    const payload = syncPayload(items, platform);
    const parts = partsOf(platform, payload, { expiresAt, now: o.now });
    return buildSend(platform, ctx, { ...parts, purpose: "feed-sync" });
  });
}

function partsOf(platform: Platform, payload: SyncPayload, t: { expiresAt: Date; now: Date }): { contentType: string; headers: Record<string, string>; body: string } {
  switch (platform) {
    case "ios":
      return {
        contentType: JSON_CONTENT_TYPE,
        headers: { "apns-push-type": "background", "apns-priority": "5", "ServiceBusNotification-Apns-Expiry": formatW3cDateTime(t.expiresAt) },
        body: JSON.stringify({ aps: { "content-available": 1 }, [SYNC_KEY]: payload }),
      };
    case "android":
      return {
        contentType: JSON_CONTENT_TYPE,
        headers: {},
        body: JSON.stringify({ message: { data: { [SYNC_KEY]: JSON.stringify(payload) }, android: { priority: "NORMAL", ttl: formatFcmTtl(t.expiresAt, t.now) } } }),
      };
    case "windows":
      return {
        contentType: "application/octet-stream",
        headers: { "X-WNS-Type": "wns/raw", "X-WNS-Cache-Policy": "cache", "X-WNS-TTL": String(secondsUntil(t.expiresAt, t.now)) },
        body: JSON.stringify({ [SYNC_KEY]: payload }),
      };
    case "webpush":
      return {
        contentType: JSON_CONTENT_TYPE,
        headers: { TTL: String(secondsUntil(t.expiresAt, t.now)), Urgency: "low" },
        body: JSON.stringify({ [SYNC_KEY]: payload }),
      };
  }
}
