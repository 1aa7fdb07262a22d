import type { AcceptedNotification } from "../legacy/types.js";
import type { NativeSend } from "../delivery/native-send.js";

/** A sync push to queue in the outbox (the shape of the store's DeliveryInput). */
export interface FeedSyncDelivery {
  id: string;
  /** The changed item it is recorded under (its status lists it; it expires with it). */
  notificationId: string;
  platform: NativeSend["platform"];
  purpose: NativeSend["purpose"];
  send: NativeSend;
  dueAt: Date;
  /** The routing destination that sends it (ROUTING_FILE); absent: the single destination. */
  destination?: string;
  /** Sync pushes follow the notification's main delivery, never a shadow copy. */
  role?: "main";
}

/** Where the sync pushes of a changed item go: where its notification's primary main delivery went. */
export interface SyncTarget {
  /** That delivery's routing destination (ROUTING_FILE); absent: the single destination. */
  destination?: string;
  /** That delivery's tag expression; absent when unknown (the planner then targets the user). */
  tagExpression?: string;
}

/** The Connected Devices SDK's `UserNotificationReadState` and `UserNotificationUserActionState`, as Graph spelled enums. */
export const READ_STATES = ["unread", "read"] as const;
export type ReadState = (typeof READ_STATES)[number];
export const USER_ACTION_STATES = ["noInteraction", "activated", "dismissed", "snoozed"] as const;
export type UserActionState = (typeof USER_ACTION_STATES)[number];

/** One notification in its user's feed. */
export interface FeedItemRecord {
  /** The notification's id: the id the legacy POST answered. */
  id: string;
  unsId: string;
  /** Lower-case, as normaliseFeedHost makes it. */
  targetHostName: string;
  notification: AcceptedNotification;
  createdAt: Date;
  expiresAt: Date;
  modifiedAt: Date;
  readState: ReadState;
  userActionState: UserActionState;
  /** Raised by every change: the ETag. */
  version: number;
  /** Position among the changes of this user and host (delta links). */
  changeSeq: number;
  /** A later POST with the same appNotificationId replaced it. */
  removed: boolean;
}

/** An item a change altered, as the store hands it to the sync planner. */
export interface ChangedFeedItem extends FeedItemRecord {
  /** null: the notification went to Microsoft Graph or a dry run (ROUTING_FILE), where no sync push can follow it. */
  syncTarget: SyncTarget | null;
}

/** Whose feed: a subscription id (X-UNS-ID) and one app (target host). */
export interface FeedScope {
  unsId: string;
  targetHostName: string;
}

export interface FeedFilter extends FeedScope {
  now: Date;
  readState?: ReadState;
  userActionState?: UserActionState;
}

export interface FeedPageQuery extends FeedFilter {
  limit: number;
  /** Keyset cursor: only items older than this one (newest first). */
  before?: { createdAt: Date; id: string };
}

export interface FeedStateChange {
  readState?: ReadState;
  userActionState?: UserActionState;
}

export interface ChangeFeedStateInput extends FeedScope {
  /** The items to change, or every listed item of the scope. */
  ids: string[] | "all";
  set: FeedStateChange;
  /** The version the caller last saw (If-Match); a different current version refuses the change. */
  ifVersion?: number;
  now: Date;
  /** The sync pushes announcing the changed items, written in the same transaction (none: no push). */
  planSync?: (changed: ChangedFeedItem[]) => FeedSyncDelivery[];
}

export type FeedChangeOutcome = "changed" | "unchanged" | "not-found" | "stale";

export interface FeedChangeResult {
  id: string;
  outcome: FeedChangeOutcome;
  /** The item after the change (absent for not-found). */
  item?: FeedItemRecord;
}

export interface FeedChanges {
  /** Changes after the token, oldest first, removed items included (not on a first call). */
  items: FeedItemRecord[];
  /** The change_seq to resume after. */
  lastSeq: number;
}

/**
 * The feed role of the store (`store.feed`): every accept with `feed: true` writes an item in
 * its own transaction; these read and change them. Items of another scope do not exist for a caller.
 */
export interface FeedStore {
  listFeed(q: FeedPageQuery): Promise<FeedItemRecord[]>;
  countFeed(q: FeedFilter): Promise<number>;
  /** A listed item (not removed, not expired) of the scope, or undefined. */
  getFeedItem(o: FeedScope & { id: string; now: Date }): Promise<FeedItemRecord | undefined>;
  /** One transaction: check, change, raise versions, write the sync deliveries. */
  changeFeedState(input: ChangeFeedStateInput): Promise<FeedChangeResult[]>;
  /** Items changed after `afterSeq` (0: everything listed now), at most `limit`. */
  feedChangesSince(o: FeedScope & { afterSeq: number; limit: number; now: Date }): Promise<FeedChanges>;
}

/** Host names compare case-insensitively and without a trailing dot, as AUTH_APP_HOSTS does. */
export function normaliseFeedHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, "");
}
