import pg from "pg";

/**
 * The claim must walk the deliveries_claim index in (next_attempt_at, id) order and stop at its
 * limit. On a young table's statistics (few pending rows at the last ANALYZE) the planner chose a
 * bitmap scan of every due row plus a sort instead: each claim read the whole backlog, grew with
 * it, and took PostgreSQL's CPU from the accepts while the outbox fell behind. Sent with the claim
 * in one simple query (one round trip, one implicit transaction: the setting ends with it).
 */
export const CLAIM_SETTINGS = "SET LOCAL enable_bitmapscan = off";

/**
 * The oldest due deliveries, locked (SKIP LOCKED: other workers take other rows) and leased to
 * `owner`, with their notification's expiry. Values are literals: a simple query takes no
 * parameters. The expiry is read by primary key row by row; as a join it became a hash join over
 * every notification.
 */
export function claimQuery(o: { now: number; limit: number; owner: string; leaseExpiresAt: number }): string {
  const [now, limit, leaseExpiresAt] = [o.now, o.limit, o.leaseExpiresAt].map((n) => String(Math.trunc(n)));
  return `WITH due AS (
      SELECT id FROM deliveries WHERE state IN ('pending', 'retrying') AND next_attempt_at <= ${now} AND (lease_owner IS NULL OR lease_expires_at <= ${now})
      ORDER BY next_attempt_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), claimed AS (
      UPDATE deliveries d SET lease_owner = ${pg.escapeLiteral(o.owner)}, lease_expires_at = ${leaseExpiresAt}, attempts = d.attempts + 1, updated_at = ${now}
      FROM due WHERE d.id = due.id RETURNING d.*
    )
    SELECT claimed.*, (SELECT n.expires_at FROM notifications n WHERE n.id = claimed.notification_id) AS notification_expires_at
    FROM claimed ORDER BY claimed.next_attempt_at, claimed.id`;
}
