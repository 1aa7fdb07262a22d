import { createHash } from "node:crypto";
import type pg from "pg";
import { decideAccept, IDEMPOTENCY_WINDOW_MS, type ExistingNotification } from "../accept-rules.js";
import { DELIVERY_COLUMNS, deliveryValues, insertedNotificationRecord, NOTIFICATION_COLUMNS, notificationValues, toNotificationRecord } from "../records.js";
import type { AcceptInput, AcceptOutcome } from "../store.js";

type Row = Record<string, unknown>;
const toExisting = (r: Row | undefined): ExistingNotification | undefined =>
  r && { id: String(r.id), contentHash: String(r.content_hash), expiresAtMs: Number(r.expires_at) };
const params = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => `$${i + from}`).join(", ");

/**
 * The accept transaction (four round trips: BEGIN with the lock, the look-up, one insert statement,
 * COMMIT). A transaction-scoped advisory lock per X-UNS-ID, taken by beginWithAcceptLock, serialises concurrent
 * accepts for the same target (READ COMMITTED: each later statement sees what the previous holder
 * committed); the unique live index is the backstop.
 */
export async function acceptInPostgres(c: pg.PoolClient, input: AcceptInput, nowMs: number): Promise<AcceptOutcome> {
  const n = input.notification;
  const byKey = input.idempotencyKey === undefined ? undefined : (await c.query(
    `SELECT id, content_hash, expires_at FROM notifications
      WHERE uns_id = $1 AND idempotency_key = $2 AND created_at > $3 ORDER BY created_at DESC LIMIT 1`,
    [n.unsId, input.idempotencyKey, nowMs - IDEMPOTENCY_WINDOW_MS],
  )).rows[0];
  const live = n.appNotificationId === undefined ? undefined : (await c.query(
    "SELECT id, content_hash, expires_at FROM notifications WHERE uns_id = $1 AND app_notification_id = $2 AND state = 'live'",
    [n.unsId, n.appNotificationId],
  )).rows[0];
  const decision = decideAccept({
    contentHash: input.contentHash, idempotencyKey: input.idempotencyKey, byKey: toExisting(byKey), live: toExisting(live), nowMs,
  });
  if (decision.kind === "duplicate") {
    const row = (await c.query("SELECT * FROM notifications WHERE id = $1", [decision.notificationId])).rows[0];
    return { outcome: "duplicate", notification: toNotificationRecord(row) };
  }
  const retireId = decision.kind === "replace" ? decision.replaceId : decision.retireId;
  if (retireId !== undefined) {
    await c.query("UPDATE notifications SET state = 'replaced', replaced_by = $1 WHERE id = $2", [n.id, retireId]);
  }
  if (decision.kind === "replace") {
    await c.query(
      `UPDATE deliveries SET state = 'superseded', lease_owner = NULL, lease_expires_at = NULL, updated_at = $1
        WHERE notification_id = $2 AND state IN ('pending', 'retrying')`,
      [nowMs, decision.replaceId],
    );
  }
  await insertNotificationAndDeliveries(c, input, nowMs);
  return { outcome: decision.kind === "replace" ? "replaced" : "created", notification: insertedNotificationRecord(input, nowMs) };
}

/** One round trip: the notification row in a data-modifying CTE, its deliveries in the same statement. */
async function insertNotificationAndDeliveries(c: pg.PoolClient, input: AcceptInput, nowMs: number): Promise<void> {
  const head = NOTIFICATION_COLUMNS.length;
  const insertNotification = `INSERT INTO notifications (${NOTIFICATION_COLUMNS.join(", ")}) VALUES (${params(head)})`;
  const notification = notificationValues({ ...input, nowMs });
  if (input.deliveries.length === 0) {
    await c.query(insertNotification, notification);
    return;
  }
  const width = DELIVERY_COLUMNS.length;
  const tuples = input.deliveries.map((_, i) => `(${params(width, head + i * width + 1)})`).join(", ");
  const values = input.deliveries.flatMap((d) => deliveryValues(d, input.notification.id, nowMs));
  await c.query(`WITH n AS (${insertNotification}) INSERT INTO deliveries (${DELIVERY_COLUMNS.join(", ")}) VALUES ${tuples}`, [...notification, ...values]);
}

/**
 * `BEGIN` plus the per-target advisory lock in one round trip. The key is computed here (a signed
 * 64-bit prefix of SHA-256) so the statement needs no parameters and can share the BEGIN's trip.
 */
export function beginWithAcceptLock(unsId: string): string {
  const key = createHash("sha256").update(`graph-notifications-bridge:accept:${unsId}`).digest().readBigInt64BE(0);
  return `BEGIN; SELECT pg_advisory_xact_lock(${key.toString()})`;
}
