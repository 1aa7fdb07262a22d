import type { AcceptInput, NotificationState, StoredRouting } from "./store.js";
import { parseNotificationBody } from "./records.js";
import { normaliseFeedHost, type FeedChangeOutcome, type FeedItemRecord, type FeedStateChange, type ReadState, type SyncTarget, type UserActionState } from "./feed.js";

type Row = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));

/** Expects the feed_items columns plus `body` (the notification's) from the join. */
export function toFeedItemRecord(r: Row): FeedItemRecord {
  return {
    id: String(r.id),
    unsId: String(r.uns_id),
    targetHostName: String(r.target_host_name),
    notification: parseNotificationBody(String(r.body)),
    createdAt: new Date(num(r.created_at)),
    expiresAt: new Date(num(r.expires_at)),
    modifiedAt: new Date(num(r.modified_at)),
    readState: String(r.read_state) as ReadState,
    userActionState: String(r.user_action_state) as UserActionState,
    version: num(r.version),
    changeSeq: num(r.change_seq),
    removed: r.removed === true || num(r.removed) === 1,
  };
}

const PRIMARY_MAIN_DELIVERY = "FROM deliveries d WHERE d.notification_id = f.id AND d.purpose = 'primary' AND d.role = 'main' ORDER BY d.id LIMIT 1";
/**
 * What syncTargetOf reads beside the feed_items columns (`f`) and the notification's (`n`): its
 * routing decision, and the send and destination of its primary main delivery (a shadow copy's
 * never counts). The same SQL on both backends.
 */
export const SYNC_TARGET_COLUMNS = `n.routing, (SELECT d.send ${PRIMARY_MAIN_DELIVERY}) AS primary_send, (SELECT d.destination ${PRIMARY_MAIN_DELIVERY}) AS primary_destination`;

const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

/**
 * Where a changed item's sync pushes go (a row with SYNC_TARGET_COLUMNS): the destination and tag
 * expression of the notification's primary main delivery. null when routing sent the notification
 * to Graph or a dry run: no hub delivered it (a shadow copy is not its delivery), so none carries its sync push.
 */
export function syncTargetOf(r: Row): SyncTarget | null {
  const routing = opt(r.routing) === undefined ? undefined : (JSON.parse(String(r.routing)) as StoredRouting);
  if (routing && routing.type !== "hubs") return null;
  // A hubs decision names the main destination too, should its deliveries be gone.
  const destination = opt(r.primary_destination) ?? routing?.destination;
  const sent = opt(r.primary_send) === undefined ? undefined : (JSON.parse(String(r.primary_send)) as { tagExpression?: string });
  return { ...(destination !== undefined ? { destination } : {}), ...(sent?.tagExpression !== undefined ? { tagExpression: sent.tagExpression } : {}) };
}

/** The new item's columns (before change_seq, which each backend assigns), in FEED_INSERT_COLUMNS order. */
export const FEED_INSERT_COLUMNS = [
  "id", "uns_id", "target_host_name", "created_at", "expires_at", "modified_at", "read_state", "user_action_state", "version", "removed",
] as const;

/** The item of a new notification row; removed from the start when a later accept of its batch retired the row. */
export function feedItemValues(r: { input: AcceptInput; nowMs: number; state: NotificationState }): unknown[] {
  const n = r.input.notification;
  const nowMs = r.nowMs;
  return [n.id, n.unsId, normaliseFeedHost(n.targetHostName), nowMs, n.expiresAt.getTime(), nowMs, "unread", "noInteraction", 1, r.state === "replaced" ? 1 : 0];
}

/**
 * What one requested change does to one item, decided once for both backends: not-found (not
 * the caller's, removed or expired), stale (If-Match names another version), unchanged (already
 * in that state: no new version, no push) or changed.
 */
export function decideFeedChange(o: {
  item: FeedItemRecord | undefined;
  set: FeedStateChange;
  ifVersion?: number;
  nowMs: number;
}): { outcome: FeedChangeOutcome; readState?: ReadState; userActionState?: UserActionState } {
  const { item } = o;
  if (!item || item.removed || item.expiresAt.getTime() <= o.nowMs) return { outcome: "not-found" };
  if (o.ifVersion !== undefined && o.ifVersion !== item.version) return { outcome: "stale" };
  const readState = o.set.readState ?? item.readState;
  const userActionState = o.set.userActionState ?? item.userActionState;
  if (readState === item.readState && userActionState === item.userActionState) return { outcome: "unchanged" };
  return { outcome: "changed", readState, userActionState };
}

/** The item as it is after a change. */
export function changedItem(item: FeedItemRecord, o: { readState: ReadState; userActionState: UserActionState; nowMs: number; changeSeq: number }): FeedItemRecord {
  return { ...item, readState: o.readState, userActionState: o.userActionState, version: item.version + 1, modifiedAt: new Date(o.nowMs), changeSeq: o.changeSeq };
}
