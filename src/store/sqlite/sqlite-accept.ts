import type Database from "better-sqlite3";
import { prepareCached } from "./statement-cache.js";
import { answerOf, planAccepts, plannedDeliveryValues, type AcceptPlan } from "../accept-plan.js";
import { existingFromRow, IDEMPOTENCY_WINDOW_MS } from "../accept-rules.js";
import { DELIVERY_COLUMNS, NOTIFICATION_COLUMNS, notificationValues, toNotificationRecord } from "../records.js";
import type { AcceptInput, AcceptOutcome } from "../store.js";
import { writeFeedOnAccept } from "./sqlite-feed.js";

type Row = Record<string, unknown>;
const toExisting = (r: Row | undefined) => r && existingFromRow(r);
const placeholders = (n: number): string => Array.from({ length: n }, () => "?").join(", ");

const SELECT_BY_KEY = `SELECT id, content_hash, expires_at FROM notifications
  WHERE uns_id = ? AND idempotency_key = ? AND created_at > ? ORDER BY created_at DESC LIMIT 1`;
const SELECT_LIVE = "SELECT id, content_hash, expires_at FROM notifications WHERE uns_id = ? AND app_notification_id = ? AND state = 'live'";
const SELECT_BY_ID = "SELECT * FROM notifications WHERE id = ?";
const RETIRE = "UPDATE notifications SET state = 'replaced', replaced_by = ? WHERE id = ?";
const SUPERSEDE = `UPDATE deliveries SET state = 'superseded', lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
  WHERE notification_id = ? AND state IN ('pending', 'retrying')`;
const INSERT_NOTIFICATION = `INSERT INTO notifications (${NOTIFICATION_COLUMNS.join(", ")}) VALUES (${placeholders(NOTIFICATION_COLUMNS.length)})`;
const INSERT_DELIVERY = `INSERT INTO deliveries (${DELIVERY_COLUMNS.join(", ")}) VALUES (${placeholders(DELIVERY_COLUMNS.length)})`;

/** One accept, planned as a batch of one (the group commit gives each accept its own savepoint). */
function acceptTransaction(db: Database.Database, input: AcceptInput, nowMs: number): AcceptOutcome {
  const n = input.notification;
  const byKey = input.idempotencyKey === undefined ? undefined
    : (prepareCached(db, SELECT_BY_KEY).get(n.unsId, input.idempotencyKey, nowMs - IDEMPOTENCY_WINDOW_MS) as Row | undefined);
  const live = n.appNotificationId === undefined ? undefined : (prepareCached(db, SELECT_LIVE).get(n.unsId, n.appNotificationId) as Row | undefined);
  const plan = planAccepts([{ input, nowMs }], [{ byKey: toExisting(byKey), live: toExisting(live) }]);
  const planned = plan.outcomes[0];
  if (planned.kind === "refused") throw planned.error;
  if (planned.kind === "accepted") applyPlan(db, plan, nowMs);
  return answerOf(planned, (id) => toNotificationRecord(prepareCached(db, SELECT_BY_ID).get(id) as Row));
}

/** Retire first: the unique live index allows one live row per (uns_id, app_notification_id). */
function applyPlan(db: Database.Database, plan: AcceptPlan, nowMs: number): void {
  for (const r of plan.retire) prepareCached(db, RETIRE).run(r.newId, r.oldId);
  for (const id of plan.supersede) prepareCached(db, SUPERSEDE).run(nowMs, id);
  const insertDelivery = prepareCached(db, INSERT_DELIVERY);
  for (const row of plan.insert) {
    prepareCached(db, INSERT_NOTIFICATION).run(...notificationValues(row));
    for (const d of row.input.deliveries) insertDelivery.run(...plannedDeliveryValues(row, d));
  }
  writeFeedOnAccept(db, plan, nowMs);
}

// better-sqlite3 builds a transaction wrapper per call of db.transaction(): build it once per connection.
const transactions = new WeakMap<Database.Database, Database.Transaction<(input: AcceptInput, nowMs: number) => AcceptOutcome>>();

/**
 * The accept transaction. BEGIN IMMEDIATE takes the single write lock first, so look-up and insert
 * cannot interleave. Inside a transaction already (the group commit's, which holds that lock and
 * gives each write a savepoint) it runs as part of it.
 */
export function acceptInSqlite(db: Database.Database, input: AcceptInput, nowMs: number): AcceptOutcome {
  if (db.inTransaction) return acceptTransaction(db, input, nowMs);
  let run = transactions.get(db);
  if (!run) transactions.set(db, (run = db.transaction((i: AcceptInput, t: number) => acceptTransaction(db, i, t))));
  return run.immediate(input, nowMs);
}
