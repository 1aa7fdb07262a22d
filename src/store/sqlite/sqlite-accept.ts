import type Database from "better-sqlite3";
import { prepareCached } from "./statement-cache.js";
import { decideAccept, IDEMPOTENCY_WINDOW_MS, type ExistingNotification } from "../accept-rules.js";
import { DELIVERY_COLUMNS, deliveryValues, insertedNotificationRecord, NOTIFICATION_COLUMNS, notificationValues, toNotificationRecord } from "../records.js";
import type { AcceptInput, AcceptOutcome } from "../store.js";

type Row = Record<string, unknown>;
const toExisting = (r: Row | undefined): ExistingNotification | undefined =>
  r && { id: String(r.id), contentHash: String(r.content_hash), expiresAtMs: Number(r.expires_at) };
const placeholders = (n: number): string => Array.from({ length: n }, () => "?").join(", ");

/** The accept transaction. BEGIN IMMEDIATE takes the single write lock first, so look-up and insert cannot interleave. */
export function acceptInSqlite(db: Database.Database, input: AcceptInput, nowMs: number): AcceptOutcome {
  const run = db.transaction((): AcceptOutcome => {
    const n = input.notification;
    const byKey = input.idempotencyKey === undefined ? undefined : (prepareCached(db, `SELECT id, content_hash, expires_at FROM notifications
        WHERE uns_id = ? AND idempotency_key = ? AND created_at > ? ORDER BY created_at DESC LIMIT 1`)
      .get(n.unsId, input.idempotencyKey, nowMs - IDEMPOTENCY_WINDOW_MS) as Row | undefined);
    const live = n.appNotificationId === undefined ? undefined : (prepareCached(db, "SELECT id, content_hash, expires_at FROM notifications WHERE uns_id = ? AND app_notification_id = ? AND state = 'live'")
      .get(n.unsId, n.appNotificationId) as Row | undefined);
    const decision = decideAccept({
      contentHash: input.contentHash, idempotencyKey: input.idempotencyKey,
      byKey: toExisting(byKey), live: toExisting(live), nowMs,
    });
    if (decision.kind === "duplicate") {
      const row = prepareCached(db, "SELECT * FROM notifications WHERE id = ?").get(decision.notificationId) as Row;
      return { outcome: "duplicate", notification: toNotificationRecord(row) };
    }
    const retireId = decision.kind === "replace" ? decision.replaceId : decision.retireId;
    if (retireId !== undefined) {
      // Retire first: the unique live index allows one live row per (uns_id, app_notification_id).
      prepareCached(db, "UPDATE notifications SET state = 'replaced', replaced_by = ? WHERE id = ?").run(n.id, retireId);
    }
    if (decision.kind === "replace") {
      prepareCached(db, `UPDATE deliveries SET state = 'superseded', lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
        WHERE notification_id = ? AND state IN ('pending', 'retrying')`).run(nowMs, decision.replaceId);
    }
    prepareCached(db, `INSERT INTO notifications (${NOTIFICATION_COLUMNS.join(", ")}) VALUES (${placeholders(NOTIFICATION_COLUMNS.length)})`)
      .run(...notificationValues({ ...input, nowMs }));
    const insertDelivery = prepareCached(db, 
      `INSERT INTO deliveries (${DELIVERY_COLUMNS.join(", ")}) VALUES (${placeholders(DELIVERY_COLUMNS.length)})`,
    );
    for (const d of input.deliveries) insertDelivery.run(...deliveryValues(d, n.id, nowMs));
    return { outcome: decision.kind === "replace" ? "replaced" : "created", notification: insertedNotificationRecord(input, nowMs) };
  });
  return run.immediate();
}
