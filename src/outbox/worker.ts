import type { Store } from "../store/store.js";
import { processDelivery, type AttemptEvent, type ProcessContext, type SendDelivery } from "./process-delivery.js";

export type { AttemptEvent, SendDelivery } from "./process-delivery.js";

export interface OutboxWorkerOptions {
  store: Store;
  send: SendDelivery;
  now: () => Date;
  /** Unique per process (e.g. hostname:pid:random); leases are held in this name. */
  owner: string;
  batchSize?: number;
  /** How long a claim is held; a crashed worker's claims are taken over after this. Keep it well above a send's timeout. */
  leaseMs?: number;
  maxAttempts?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  pollIntervalMs?: number;
  /** Concurrent sends within a batch. */
  concurrency?: number;
  random?: () => number;
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
}

export function createOutboxWorker(o: OutboxWorkerOptions): OutboxWorker {
  const batchSize = o.batchSize ?? 50;
  const leaseMs = o.leaseMs ?? 60_000;
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

  async function processBatch(): Promise<number> {
    const claimed = await o.store.claimDueDeliveries({ owner: o.owner, now: o.now(), limit: batchSize, leaseMs });
    let next = 0;
    let processed = 0;
    const lane = async (): Promise<void> => {
      while (!stopping && next < claimed.length) {
        const d = claimed[next++];
        try {
          const event = await processDelivery(d, ctx); // not inside onAttempt?.(…): that would skip the send when unset
          o.onAttempt?.(event);
          processed++;
        } catch (e) {
          o.onError?.(e); // the lease expires and the delivery is retried: at-least-once
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, lane));
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
      await o.store.releaseClaims(o.owner, o.now());
    },
  };
}
