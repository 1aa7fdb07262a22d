import { createHash } from "node:crypto";

/** A signed 64-bit prefix of SHA-256: the advisory lock key of one X-UNS-ID. */
function acceptLockKey(unsId: string): bigint {
  return createHash("sha256").update(`graph-notifications-bridge:accept:${unsId}`).digest().readBigInt64BE(0);
}

/**
 * `BEGIN` plus the advisory locks of every X-UNS-ID in the batch, in one round trip. Keys are
 * taken in ascending order, so two batches (or two processes) sharing targets cannot deadlock.
 */
export function beginWithAcceptLocks(unsIds: Iterable<string>): string {
  const keys = [...new Set([...unsIds].map(acceptLockKey))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `BEGIN; SELECT ${keys.map((k) => `pg_advisory_xact_lock(${k.toString()})`).join(", ")}`;
}
