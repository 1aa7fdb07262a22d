import type { AcceptInput, NotificationState } from "./store.js";
import { parseNotificationBody } from "./records.js";
import { normaliseFeedHost, type FeedChangeOutcome, type FeedItemRecord, type FeedStateChange, type ReadState, type UserActionState } from "./feed.js";

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

/** The tag expression of the notification's primary send (`primary_send` column), which sync pushes narrow. */
export function tagExpressionOf(r: Row): string | undefined {
  if (r.primary_send === null || r.primary_send === undefined) return undefined;
  return (JSON.parse(String(r.primary_send)) as { tagExpression?: string }).tagExpression;
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
