import type pg from "pg";
import { decideAccept, IDEMPOTENCY_WINDOW_MS, type ExistingNotification } from "../accept-rules.js";
import { DELIVERY_COLUMNS, deliveryValues, insertedNotificationRecord, NOTIFICATION_COLUMNS, notificationValues, toNotificationRecord } from "../records.js";
import type { AcceptInput, AcceptOutcome } from "../store.js";

type Row = Record<string, unknown>;
const toExisting = (r: Row | undefined): ExistingNotification | undefined =>
  r && { id: String(r.id), contentHash: String(r.content_hash), expiresAtMs: Number(r.expires_at) };
const params = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => `$${i + from}`).join(", ");

/**
 * The accept transaction. A transaction-scoped advisory lock per X-UNS-ID serialises concurrent
 * accepts for the same target (READ COMMITTED: each later statement sees what the previous holder
 * committed); the unique live index is the backstop.
 */
export async function acceptInPostgres(c: pg.PoolClient, input: AcceptInput, nowMs: number): Promise<AcceptOutcome> {
  const n = input.notification;
  await c.query("SELECT pg_advisory_xact_lock(hashtextextended('graph-notifications-bridge:accept:' || $1, 0))", [n.unsId]);
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
  await c.query(
    `INSERT INTO notifications (${NOTIFICATION_COLUMNS.join(", ")}) VALUES (${params(NOTIFICATION_COLUMNS.length)})`,
    notificationValues({ ...input, nowMs }),
  );
  await insertDeliveries(c, input, nowMs);
  return { outcome: decision.kind === "replace" ? "replaced" : "created", notification: insertedNotificationRecord(input, nowMs) };
}

async function insertDeliveries(c: pg.PoolClient, input: AcceptInput, nowMs: number): Promise<void> {
  if (input.deliveries.length === 0) return;
  const width = DELIVERY_COLUMNS.length;
  const tuples = input.deliveries.map((_, i) => `(${params(width, i * width + 1)})`).join(", ");
  const values = input.deliveries.flatMap((d) => deliveryValues(d, input.notification.id, nowMs));
  await c.query(`INSERT INTO deliveries (${DELIVERY_COLUMNS.join(", ")}) VALUES ${tuples}`, values);
}
