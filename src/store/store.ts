import type { AcceptedNotification, Platform } from "../legacy/types.js";
import type { NativeSend } from "../delivery/native-send.js";
import type { FeedStore } from "./feed.js";
import type { SubscriptionStore } from "./subscription-store.js";

export const DELIVERY_STATES = ["pending", "retrying", "sent", "dead-lettered", "expired", "cancelled", "superseded"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/**
 * The SQL condition for listing deliveries in `state`, with the state as a literal (from the closed
 * set above, never from input as such): a literal lets both databases use the partial indexes on
 * dead-lettered and expired rows, which a bound parameter would not.
 */
export function stateCondition(state: DeliveryState | undefined): string {
  if (state === undefined) return "TRUE";
  if (!DELIVERY_STATES.includes(state)) throw new Error(`unknown delivery state '${String(state)}'`);
  return `d.state = '${state}'`;
}
export type DeliveryPurpose = NativeSend["purpose"];
/** main: the notification's delivery; shadow: a copy to a route's shadow hub (docs/routing.md). */
export type DeliveryRole = "main" | "shadow";
export type NotificationState = "live" | "replaced";

export interface NotificationRecord {
  id: string;
  unsId: string;
  appNotificationId?: string;
  idempotencyKey?: string;
  contentHash: string;
  body: AcceptedNotification;
  /** The JSON the API returned when it accepted this notification; replayed for duplicates. */
  response: unknown;
  ackToken: string;
  createdAt: Date;
  expiresAt: Date;
  replacedBy?: string;
  state: NotificationState;
  /** The routing decision at accept time (ROUTING_FILE); absent with a single destination. */
  routing?: StoredRouting;
}

/** What routing decided for a notification, kept with it (JSON). */
export interface StoredRouting {
  route: string;
  destination: string;
  /** The destination's type: a dry-run notification has no deliveries. */
  type: "hubs" | "graph" | "dry-run";
  shadow?: string;
  canary?: { bucket: number; percent: number; chosen: boolean };
}

export interface DeliveryRecord {
  id: string;
  notificationId: string;
  platform: Platform;
  purpose: DeliveryPurpose;
  /** The routing destination that sends it, chosen at accept time; absent: the single destination. */
  destination?: string;
  role: DeliveryRole;
  send: NativeSend;
  state: DeliveryState;
  /** Claims so far, including the one in progress (a claim counts even if the worker crashes). */
  attempts: number;
  nextAttemptAt: Date;
  leaseOwner?: string;
  leaseExpiresAt?: Date;
  lastError?: string;
  lastStatus?: number;
  hubNotificationId?: string;
  trackingId?: string;
  correlationId?: string;
  sentAt?: Date;
  createdAt: Date;
  updatedAt: Date;
  /** The notification's expiry (joined), after which the delivery must never be sent. */
  expiresAt: Date;
}

export interface DeliveryInput {
  id: string;
  platform: Platform;
  purpose: DeliveryPurpose;
  send: NativeSend;
  dueAt: Date;
  destination?: string;
  /** Default main. */
  role?: DeliveryRole;
}

export interface AcceptInput {
  notification: AcceptedNotification;
  ackToken: string;
  idempotencyKey?: string;
  contentHash: string;
  response: unknown;
  deliveries: DeliveryInput[];
  /** Write the notification's feed item too (FEED=on). */
  feed?: boolean;
  routing?: StoredRouting;
}

export interface AcceptOutcome {
  outcome: "created" | "duplicate" | "replaced";
  notification: NotificationRecord;
}

export interface SendReceipt {
  hubNotificationId?: string;
  trackingId?: string;
  correlationId?: string;
}

export interface OutboxStats {
  due: number;
  pending: number;
  oldestDueAgeMs: number;
  deadLettered: number;
}

export type AckResult = "ok" | "not-found" | "bad-token";

/** Which claim an outcome is for: delivery `id`, claimed by `owner`, recorded at `now`. */
export interface ClaimRef {
  id: string;
  owner: string;
  now: Date;
}

/** The database connection itself: schema, health and closing. */
export interface StoreConnection {
  readonly backend: "sqlite" | "postgres";
  migrate(): Promise<void>;
  /** Throws when the database is unreachable. */
  ping(): Promise<void>;
  /**
   * A small real write (committed, then undone), for telling when a store that failed (full disk,
   * read-only failover, restart) can write again. Throws while it cannot.
   */
  probeWrite(): Promise<void>;
  migrationsApplied(): Promise<boolean>;
  close(): Promise<void>;
}

/** What accepting a notification writes: the notification with its deliveries, and acknowledgements. */
export interface AcceptingStore {
  /** One transaction: idempotency check, then insert notification + deliveries (or replace). */
  acceptNotification(o: AcceptInput & { now: Date }): Promise<AcceptOutcome>;
  acknowledge(o: { notificationId: string; ackToken: string; installationId?: string; now: Date }): Promise<AckResult>;
}

/** The outbox's queue: claims, outcomes, what a send consults, the gauges and retention. */
export interface OutboxQueue {
  claimDueDeliveries(o: { owner: string; now: Date; limit: number; leaseMs: number }): Promise<DeliveryRecord[]>;
  /** The outcomes: each applies only while `owner` still holds the claim on delivery `id`. */
  markSent(o: ClaimRef & { receipt: SendReceipt }): Promise<boolean>;
  markRetry(o: ClaimRef & { error: string; status?: number; nextAttemptAt: Date }): Promise<boolean>;
  markFinal(o: ClaimRef & { state: "dead-lettered" | "expired" | "cancelled"; error: string; status?: number }): Promise<boolean>;
  /** Graceful shutdown: give claims that were never attempted back (attempt count restored). */
  releaseClaims(o: { owner: string; now: Date }): Promise<number>;
  /** all=true when an acknowledgement without an installation id came. */
  listAcknowledgedInstallations(notificationId: string): Promise<{ all: boolean; installationIds: string[] }>;
  outboxStats(now: Date): Promise<OutboxStats>;
  /**
   * Retention: deletes up to `limit` notifications created before `before` that have nothing left
   * to send (no pending or retrying delivery), with their deliveries and acknowledgements, oldest
   * first. Resolves with how many notifications went.
   */
  purgeFinished(o: { before: Date; limit: number }): Promise<number>;
}

/** What the status and operator endpoints read (and replay). */
export interface OperatorViews {
  getNotification(id: string): Promise<{ notification: NotificationRecord; deliveries: DeliveryRecord[] } | undefined>;
  /** Ordered by id; `after` is the last id of the previous page. */
  listDeliveries(o: { state?: DeliveryState; limit: number; after?: string }): Promise<DeliveryRecord[]>;
  getDelivery(id: string): Promise<DeliveryRecord | undefined>;
  /**
   * dead-lettered/expired → pending now, attempts reset, while its notification has not expired;
   * any other state, an expired notification or an unknown id → undefined.
   */
  replayDelivery(o: { id: string; now: Date }): Promise<DeliveryRecord | undefined>;
}

/**
 * The whole store, as the backends implement it: the roles above, plus the client API's and the
 * feed's stores. Callers take the narrowest role they use.
 */
export interface Store extends StoreConnection, AcceptingStore, OutboxQueue, OperatorViews {
  /** Subscription ids and device installations of the client-facing API (same database, same migrations). */
  readonly subscriptions: SubscriptionStore;
  /** The users' feeds: items written by accepts with `feed`, their read and action state (same database). */
  readonly feed: FeedStore;
}

/** Same idempotency key (same X-UNS-ID, within 24 h) but different content: the API answers 409/422. */
export class IdempotencyConflictError extends Error {
  readonly idempotencyKey: string;
  readonly existingNotificationId: string;

  constructor(idempotencyKey: string, existingNotificationId: string) {
    super(`Idempotency key '${idempotencyKey}' was already used with a different request body.`);
    this.name = "IdempotencyConflictError";
    this.idempotencyKey = idempotencyKey;
    this.existingNotificationId = existingNotificationId;
  }
}

export const isIdempotencyConflictError = (e: unknown): e is IdempotencyConflictError =>
  e instanceof IdempotencyConflictError;
