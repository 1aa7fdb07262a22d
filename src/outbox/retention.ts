import type { OutboxQueue } from "../store/store.js";

export interface RetentionOptions {
  store: Pick<OutboxQueue, "purgeFinished">;
  now: () => Date;
  /** Notifications older than this with nothing left to send are deleted. */
  retentionMs: number;
  /** Pause between sweeps. Default one minute. */
  everyMs?: number;
  /** Notifications deleted per transaction (short transactions: SQLite has one writer). Default 1000. */
  batch?: number;
  onPurged?: (count: number, before: Date) => void;
  onError?: (e: unknown) => void;
}

export interface Retention {
  start(): void;
  stop(): void;
  /** One sweep: deletes batch after batch until the old finished ones are gone; resolves with the count. */
  runOnce(): Promise<number>;
}

/** Keeps the store from growing for ever: a sweep at start, then every `everyMs`. */
export function createRetention(o: RetentionOptions): Retention {
  const batch = o.batch ?? 1000;
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let stopped = false;

  async function runOnce(): Promise<number> {
    const before = new Date(o.now().getTime() - o.retentionMs);
    let total = 0;
    for (;;) {
      const n = await o.store.purgeFinished({ before, limit: batch });
      total += n;
      if (n < batch || stopped) break;
      await new Promise((r) => setImmediate(r)); // let requests and sends in between batches
    }
    if (total > 0) o.onPurged?.(total, before);
    return total;
  }

  const schedule = (ms: number) => {
    timer = setTimeout(() => {
      runOnce().catch((e: unknown) => o.onError?.(e)).finally(() => {
        if (!stopped) schedule(o.everyMs ?? 60_000);
      });
    }, ms);
    timer.unref();
  };

  return {
    runOnce,
    start() {
      if (started) return;
      started = true;
      schedule(0);
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
