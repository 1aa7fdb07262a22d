import type Database from "better-sqlite3";
import { prepareCached } from "./statement-cache.js";
import { decideAccept, existingFromRow, IDEMPOTENCY_WINDOW_MS, outcomeOf, retiredBy } from "../accept-rules.js";
import { DELIVERY_COLUMNS, deliveryValues, insertedNotificationRecord, NOTIFICATION_COLUMNS, notificationValues, toNotificationRecord } from "../records.js";
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

function acceptTransaction(db: Database.Database, input: AcceptInput, nowMs: number): AcceptOutcome {
  const n = input.notification;
  const byKey = input.idempotencyKey === undefined ? undefined
    : (prepareCached(db, SELECT_BY_KEY).get(n.unsId, input.idempotencyKey, nowMs - IDEMPOTENCY_WINDOW_MS) as Row | undefined);
  const live = n.appNotificationId === undefined ? undefined : (prepareCached(db, SELECT_LIVE).get(n.unsId, n.appNotificationId) as Row | undefined);
  const decision = decideAccept({
    contentHash: input.contentHash, idempotencyKey: input.idempotencyKey,
    byKey: toExisting(byKey), live: toExisting(live), nowMs,
  });
  if (decision.kind === "duplicate") {
    const row = prepareCached(db, SELECT_BY_ID).get(decision.notificationId) as Row;
    return { outcome: "duplicate", notification: toNotificationRecord(row) };
  }
  const retireId = retiredBy(decision);
  // Retire first: the unique live index allows one live row per (uns_id, app_notification_id).
  if (retireId !== undefined) prepareCached(db, RETIRE).run(n.id, retireId);
  if (decision.kind === "replace") prepareCached(db, SUPERSEDE).run(nowMs, decision.replaceId);
  prepareCached(db, INSERT_NOTIFICATION).run(...notificationValues({ ...input, nowMs }));
  const insertDelivery = prepareCached(db, INSERT_DELIVERY);
  for (const d of input.deliveries) insertDelivery.run(...deliveryValues(d, n.id, nowMs));
  writeFeedOnAccept(db, input, retireId, nowMs);
  return { outcome: outcomeOf(decision), notification: insertedNotificationRecord(input, nowMs) };
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
