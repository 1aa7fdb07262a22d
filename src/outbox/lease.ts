/**
 * The rule that keeps a lease longer than the work it covers (docs/operations.md, "Leases"): a
 * worker that claims a batch must be able to send every delivery in it and record the outcome
 * before the lease ends, even when every send takes the full timeout. Otherwise another worker
 * takes rows still in flight and they are sent twice.
 */

/** Time allowed, on top of the sends, for writing outcomes and for pauses (GC, a slow commit). */
export const LEASE_ALLOWANCE_MS = 1000;

export interface LeaseSettings {
  leaseMs: number;
  concurrency: number;
  /** The longest one send may take (NH_TIMEOUT_MS). */
  sendTimeoutMs: number;
}

/** How many deliveries one claim may take so that all of them finish within the lease. */
export function claimsCoveredByLease(s: LeaseSettings): number {
  const rounds = Math.floor((s.leaseMs - LEASE_ALLOWANCE_MS) / s.sendTimeoutMs);
  return Math.max(0, rounds) * s.concurrency;
}

/** Whether a send started `elapsedMs` after the claim still ends, outcome written, inside the lease. */
export function sendFitsLease(elapsedMs: number, s: Pick<LeaseSettings, "leaseMs" | "sendTimeoutMs">): boolean {
  return elapsedMs + s.sendTimeoutMs + LEASE_ALLOWANCE_MS <= s.leaseMs;
}

/** Start-up check (src/config.ts): the problems, naming the settings, or none. */
export function leaseProblems(s: LeaseSettings & { batchSize: number }): string[] {
  if (s.leaseMs < s.sendTimeoutMs + LEASE_ALLOWANCE_MS)
    return [`OUTBOX_LEASE_MS: ${s.leaseMs} ms does not cover one send (NH_TIMEOUT_MS=${s.sendTimeoutMs} plus ${LEASE_ALLOWANCE_MS} ms to record it); raise OUTBOX_LEASE_MS to at least ${s.sendTimeoutMs + LEASE_ALLOWANCE_MS} or lower NH_TIMEOUT_MS`];
  const covered = claimsCoveredByLease(s);
  if (s.batchSize <= covered) return [];
  const needed = Math.ceil(s.batchSize / s.concurrency) * s.sendTimeoutMs + LEASE_ALLOWANCE_MS;
  return [
    `OUTBOX_BATCH_SIZE: a claim of ${s.batchSize} at OUTBOX_CONCURRENCY=${s.concurrency} takes up to ${Math.ceil(s.batchSize / s.concurrency)} rounds of NH_TIMEOUT_MS=${s.sendTimeoutMs} ms, longer than OUTBOX_LEASE_MS=${s.leaseMs} ms ` +
      `(another process would take deliveries still in flight and send them twice). Use OUTBOX_BATCH_SIZE <= ${covered}, or OUTBOX_LEASE_MS >= ${needed}, or a lower NH_TIMEOUT_MS / higher OUTBOX_CONCURRENCY`,
  ];
}
