import { IdempotencyConflictError } from "./store.js";

/** How long an idempotency key pins its first request (rule 1). */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface ExistingNotification {
  id: string;
  contentHash: string;
  expiresAtMs: number;
}

/** A looked-up notifications row (id, content_hash, expires_at) as the rules see it; both backends read the same columns. */
export const existingFromRow = (r: Record<string, unknown>): ExistingNotification =>
  ({ id: String(r.id), contentHash: String(r.content_hash), expiresAtMs: Number(r.expires_at) });

export type AcceptDecision =
  | { kind: "duplicate"; notificationId: string }
  | { kind: "create"; retireId?: string }
  | { kind: "replace"; replaceId: string };

/**
 * The idempotency rules, decided once for both backends from what the transaction looked up:
 * `byKey` is the newest notification with this (uns_id, idempotency_key) created inside the window,
 * `live` the one in state 'live' with this (uns_id, app_notification_id), expired or not.
 * Throws IdempotencyConflictError for a reused key with different content.
 */
export function decideAccept(o: {
  contentHash: string;
  idempotencyKey?: string;
  byKey?: ExistingNotification;
  live?: ExistingNotification;
  nowMs: number;
}): AcceptDecision {
  if (o.idempotencyKey !== undefined && o.byKey) {
    if (o.byKey.contentHash === o.contentHash) return { kind: "duplicate", notificationId: o.byKey.id };
    throw new IdempotencyConflictError(o.idempotencyKey, o.byKey.id);
  }
  if (!o.live) return { kind: "create" };
  // An expired 'live' row still holds the unique (uns_id, app_notification_id) slot: retire it quietly.
  if (o.live.expiresAtMs <= o.nowMs) return { kind: "create", retireId: o.live.id };
  if (o.live.contentHash === o.contentHash) return { kind: "duplicate", notificationId: o.live.id };
  return { kind: "replace", replaceId: o.live.id };
}

/** The row a create or replace retires (state 'replaced', replaced_by the new id) before inserting, if any. */
export const retiredBy = (d: Exclude<AcceptDecision, { kind: "duplicate" }>): string | undefined =>
  d.kind === "replace" ? d.replaceId : d.retireId;

/** The outcome the API reports for a create or replace. */
export const outcomeOf = (d: Exclude<AcceptDecision, { kind: "duplicate" }>): "created" | "replaced" =>
  d.kind === "replace" ? "replaced" : "created";
