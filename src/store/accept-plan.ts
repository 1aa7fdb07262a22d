import { decideAccept, outcomeOf, retiredBy, type ExistingNotification } from "./accept-rules.js";
import { DELIVERY_COLUMNS, deliveryValues, insertedNotificationRecord } from "./records.js";
import type { AcceptInput, AcceptOutcome, DeliveryInput, NotificationRecord } from "./store.js";

/** One accept to plan: its input and the time it was accepted at. */
export interface AcceptRequest {
  input: AcceptInput;
  nowMs: number;
}

/**
 * What the store's look-up found for one accept: `byKey` the newest notification with its
 * (uns_id, idempotency_key) created inside the window, `live` the one in state 'live' holding its
 * (uns_id, app_notification_id) slot, expired or not.
 */
export interface StoredMatches {
  byKey?: ExistingNotification;
  live?: ExistingNotification;
}

/** A notification row the plan inserts, with the state it is written in. */
export interface PlannedRow extends ExistingNotification {
  input: AcceptInput;
  nowMs: number;
  /** 'replaced' (replaced_by set) when a later accept of the same batch retired it. */
  state: "live" | "replaced";
  replacedBy?: string;
  /** A later accept of the same batch replaced it before it was sent: its deliveries start superseded. */
  superseded: boolean;
}

export type PlannedOutcome =
  | { kind: "accepted"; outcome: "created" | "replaced"; row: PlannedRow }
  /** A duplicate of an accept planned earlier in the same batch. */
  | { kind: "duplicate"; of: PlannedRow }
  /** A duplicate of a stored row, which the store reads to answer with. */
  | { kind: "duplicate-of-stored"; id: string }
  | { kind: "refused"; error: unknown };

export interface AcceptPlan {
  /** One per accept, in batch order. */
  outcomes: PlannedOutcome[];
  /** Stored rows to retire (state 'replaced', replaced_by newId) before the inserts: the live index allows one live row per slot. */
  retire: Array<{ oldId: string; newId: string }>;
  /** Stored notifications whose unsent ('pending', 'retrying') deliveries become 'superseded'. */
  supersede: string[];
  /** The rows to insert, in batch order, each with its deliveries (and feed item when asked). */
  insert: PlannedRow[];
}

/** The key of a (uns_id, app_notification_id) or (uns_id, idempotency_key) slot. */
export const slot = (unsId: string, key: string): string => `${unsId}\u0000${key}`;
/** The rows planned so far in a batch, by (uns_id, app_notification_id) and (uns_id, idempotency_key). */
type PlannedSlots = { live: Map<string, PlannedRow>; byKey: Map<string, PlannedRow> };

/**
 * The accepts of a batch planned with the rules of accept-rules.ts, with the outcomes and final
 * rows of taking them one by one in order: a later accept sees the earlier ones of the batch (an
 * in-batch duplicate, a replace or retire of a row planned earlier, its deliveries superseded).
 * `stored[i]`: what the look-up found for `batch[i]` before any of the batch was written.
 * Pure: the stores look up, then apply the plan (retire, supersede, insert, feed).
 */
export function planAccepts(batch: readonly AcceptRequest[], stored: readonly StoredMatches[]): AcceptPlan {
  // Sized up front: SQLite plans every accept alone, and a grown array would cost it a larger backing store.
  const plan: AcceptPlan = { outcomes: new Array<PlannedOutcome>(batch.length), retire: [], supersede: [], insert: new Array<PlannedRow>(batch.length) };
  // The rows planned so far by slot: only a batch of more than one needs them.
  const planned: PlannedSlots | undefined = batch.length > 1 ? { live: new Map(), byKey: new Map() } : undefined;
  let inserted = 0;
  for (let i = 0; i < batch.length; i++) {
    const o = planOne(plan, batch[i], stored[i], planned);
    plan.outcomes[i] = o;
    if (o.kind === "accepted") plan.insert[inserted++] = o.row;
  }
  plan.insert.length = inserted;
  return plan;
}

/** One accept of the batch, seeing the rows planned before it (`planned`) over the stored ones; records what it retires in `plan`. */
function planOne(plan: AcceptPlan, { input, nowMs }: AcceptRequest, stored: StoredMatches, planned: PlannedSlots | undefined): PlannedOutcome {
  const n = input.notification;
  const liveSlot = planned && n.appNotificationId !== undefined ? slot(n.unsId, n.appNotificationId) : undefined;
  const keySlot = planned && input.idempotencyKey !== undefined ? slot(n.unsId, input.idempotencyKey) : undefined;
  const earlierLive = liveSlot === undefined ? undefined : planned!.live.get(liveSlot);
  const earlierByKey = keySlot === undefined ? undefined : planned!.byKey.get(keySlot);
  let decision;
  try {
    decision = decideAccept({
      contentHash: input.contentHash, idempotencyKey: input.idempotencyKey, nowMs,
      byKey: earlierByKey ?? stored.byKey, live: earlierLive ?? stored.live,
    });
  } catch (error) {
    return { kind: "refused", error };
  }
  if (decision.kind === "duplicate") {
    const id = decision.notificationId;
    const of = earlierByKey?.id === id ? earlierByKey : earlierLive?.id === id ? earlierLive : undefined;
    return of ? { kind: "duplicate", of } : { kind: "duplicate-of-stored", id };
  }
  const retireId = retiredBy(decision);
  if (retireId !== undefined && earlierLive?.id === retireId) {
    earlierLive.state = "replaced";
    earlierLive.replacedBy = n.id;
    earlierLive.superseded = decision.kind === "replace";
  } else if (retireId !== undefined) {
    plan.retire.push({ oldId: retireId, newId: n.id });
    if (decision.kind === "replace") plan.supersede.push(retireId);
  }
  const row: PlannedRow = {
    id: n.id, contentHash: input.contentHash, expiresAtMs: n.expiresAt.getTime(), input, nowMs, state: "live", replacedBy: undefined, superseded: false,
  };
  if (liveSlot !== undefined) planned!.live.set(liveSlot, row);
  if (keySlot !== undefined) planned!.byKey.set(keySlot, row);
  return { kind: "accepted", outcome: outcomeOf(decision), row };
}

/** The API's answer for an accept the plan did not refuse; `storedRecord` reads the stored row a duplicate names. */
export function answerOf(o: Exclude<PlannedOutcome, { kind: "refused" }>, storedRecord: (id: string) => NotificationRecord): AcceptOutcome {
  switch (o.kind) {
    case "accepted": return { outcome: o.outcome, notification: insertedNotificationRecord(o.row.input, o.row.nowMs) };
    case "duplicate": return { outcome: "duplicate", notification: insertedNotificationRecord(o.of.input, o.of.nowMs) };
    case "duplicate-of-stored": return { outcome: "duplicate", notification: storedRecord(o.id) };
  }
}

const DELIVERY_STATE_AT = DELIVERY_COLUMNS.indexOf("state");

/** One of a planned row's deliveries, in DELIVERY_COLUMNS order: 'superseded' when a later accept of the batch replaced the row. */
export function plannedDeliveryValues(row: PlannedRow, d: DeliveryInput): unknown[] {
  const values = deliveryValues(d, row.id, row.nowMs);
  if (row.superseded) values[DELIVERY_STATE_AT] = "superseded";
  return values;
}
