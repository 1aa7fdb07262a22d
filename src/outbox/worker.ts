import type { StoreHealth } from "../store/store-health.js";
import type { OutboxQueue } from "../store/store.js";
import { sendFitsLease } from "./lease.js";
import { OutcomeNotRecorded, processDelivery, type AttemptEvent, type ProcessContext, type SendDelivery } from "./process-delivery.js";

export type { AttemptEvent, CountedAttempt, SendDelivery } from "./process-delivery.js";

export interface OutboxWorkerOptions {
  store: OutboxQueue;
  send: SendDelivery;
  now: () => Date;
  /** Unique per process (e.g. hostname:pid:random); leases are held in this name. */
  owner: string;
  batchSize?: number;
  /** How long a claim is held; a crashed worker's claims are taken over after this (see lease.ts). */
  leaseMs?: number;
  /** The longest one send may take (NH_TIMEOUT_MS): no send starts unless it ends inside its lease. */
  sendTimeoutMs?: number;
  maxAttempts?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  pollIntervalMs?: number;
  /** Concurrent sends within a batch. */
  concurrency?: number;
  random?: () => number;
  /** What this worker knows of its store: while it is down, nothing is claimed (probes bring it back). */
  health?: StoreHealth;
  onAttempt?: (e: AttemptEvent) => void;
  /** A failed poll or bookkeeping write; the loop carries on. */
  onError?: (e: unknown) => void;
}

export interface OutboxWorker {
  start(): void;
  /** Stops polling, finishes in-flight sends, then releases claims never started. */
  stop(): Promise<void>;
  /** Claims one batch and processes it; resolves with the number of deliveries processed. */
  runOnce(): Promise<number>;
  /** Outcomes sent but not yet written (the store failed); nothing is claimed while there are any. */
  readonly unrecorded: number;
}

export function createOutboxWorker(o: OutboxWorkerOptions): OutboxWorker {
  const batchSize = o.batchSize ?? 50;
  const leaseMs = o.leaseMs ?? 60_000;
  const sendTimeoutMs = o.sendTimeoutMs ?? 0;
  const pollIntervalMs = o.pollIntervalMs ?? 1000;
  const concurrency = Math.max(1, o.concurrency ?? Math.min(batchSize, 16));
  const ctx: ProcessContext = {
    store: o.store, send: o.send, now: o.now, owner: o.owner,
    policy: {
      maxAttempts: o.maxAttempts ?? 8, baseBackoffMs: o.baseBackoffMs ?? 1000,
      maxBackoffMs: o.maxBackoffMs ?? 5 * 60_000, random: o.random ?? Math.random,
    },
  };
  let stopping = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const running = new Set<Promise<number>>();
  /** Sent (or decided) but not written: written again, never sent again. Bounded by one batch. */
  const unrecorded: OutcomeNotRecorded[] = [];
  /** Claims left unstarted by the last batch, to give back once the store takes writes again. */
  let unstartedClaims = false;

  const report = (e: AttemptEvent): void => o.onAttempt?.(e);

  /** Writes the outcomes the store refused earlier; resolves with how many went in. */
  async function writeUnrecorded(): Promise<number> {
    let written = 0;
    for (const item of unrecorded.splice(0)) {
      try {
        report((await item.write()) ? item.event : { ...item.event, claimLost: true });
        written++;
      } catch {
        unrecorded.push(item);
      }
    }
    return written;
  }

  /** Whether the store can take this worker's writes again; only then is anything claimed. */
  async function resume(): Promise<{ ready: boolean; written: number }> {
    if (o.health && !o.health.available) {
      try {
        await o.health.check();
      } catch {
        return { ready: false, written: 0 };
      }
    }
    const written = unrecorded.length ? await writeUnrecorded() : 0;
    if (unrecorded.length) return { ready: false, written };
    if (unstartedClaims) {
      await o.store.releaseClaims({ owner: o.owner, now: o.now() }); // nothing of ours is in flight or unrecorded now
      unstartedClaims = false;
    }
    return { ready: true, written };
  }

  /**
   * A lane's first send is the first round the configuration guarantees (config.ts refuses a lease
   * shorter than one send plus LEASE_ALLOWANCE_MS, which also covers the claim's own time); later
   * sends count from the claim. Counting the first from the claim too would start nothing when the
   * lease is exactly one round (OUTBOX_LEASE_MS = NH_TIMEOUT_MS + 1000): the outbox would stall.
   */
  const mayStart = (claimedAt: number, firstOfLane: boolean): boolean =>
    !stopping && unrecorded.length === 0 && (o.health?.available ?? true) &&
    (sendTimeoutMs === 0 || sendFitsLease(firstOfLane ? 0 : o.now().getTime() - claimedAt, { leaseMs, sendTimeoutMs }));

  async function processBatch(): Promise<number> {
    const { ready, written } = await resume();
    if (!ready) return written;
    const claimedAt = o.now().getTime();
    const claimed = await o.store.claimDueDeliveries({ owner: o.owner, now: o.now(), limit: batchSize, leaseMs });
    let next = 0;
    let processed = written;
    const lane = async (): Promise<void> => {
      for (let first = true; next < claimed.length && mayStart(claimedAt, first); first = false) {
        const d = claimed[next++];
        try {
          report(await processDelivery(d, ctx)); // not inside onAttempt?.(…): that would skip the send when unset
          processed++;
        } catch (e) {
          if (e instanceof OutcomeNotRecorded) unrecorded.push(e);
          o.onError?.(e); // unrecorded: written again before the next claim; else retaken after the lease
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, lane));
    if (next < claimed.length) unstartedClaims = true;
    return processed;
  }

  function runOnce(): Promise<number> {
    const p = processBatch().finally(() => running.delete(p));
    running.add(p);
    return p;
  }

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, ms);
    });

  async function pollUntilStopped(): Promise<void> {
    while (!stopping) {
      let processed = 0;
      try {
        processed = await runOnce();
      } catch (e) {
        o.onError?.(e);
      }
      if (!stopping && processed < batchSize) await pause(pollIntervalMs); // a full batch means more may be due now
    }
  }

  return {
    runOnce,
    get unrecorded() {
      return unrecorded.length;
    },
    start() {
      if (loop || stopping) return;
      loop = pollUntilStopped();
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      wake?.();
      await loop;
      await Promise.allSettled([...running]);
      if (unrecorded.length) await writeUnrecorded();
      // Giving claims back would also free the rows whose outcomes are still unwritten: they would
      // be sent again at once. Left leased, they are retaken only after the lease.
      if (unrecorded.length) throw new Error(`${unrecorded.length} delivery outcomes could not be recorded before stopping; those deliveries are retaken after their lease (at-least-once)`);
      await o.store.releaseClaims({ owner: o.owner, now: o.now() });
    },
  };
}
