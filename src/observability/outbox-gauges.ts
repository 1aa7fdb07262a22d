import { Counter, Gauge, type Registry } from "prom-client";

export interface OutboxStats {
  /** Deliveries whose next attempt time has passed and that nobody has claimed. */
  due: number;
  /** Deliveries still to be delivered: due, scheduled for a later retry, or claimed right now. */
  pending: number;
  /** Age of the oldest due delivery (0 when none is due). */
  oldestDueAgeMs: number;
  deadLettered: number;
}

export interface OutboxMetrics {
  outboxDepth: Gauge<"state">;
  outboxOldestAgeSeconds: Gauge;
  outboxStatsErrors: Counter;
}

/**
 * Outbox gauges computed at scrape time from the store. A failing or stuck outboxStats never breaks
 * /metrics: the depth series disappear, the age becomes NaN (so `> 60` alerts neither fire nor
 * look healthy) and the error counter goes up.
 */
export function createOutboxMetrics(o: {
  registry: Registry;
  prefix: string;
  outboxStats?: () => Promise<OutboxStats>;
  timeoutMs: number;
}): OutboxMetrics {
  const registers = [o.registry];
  const readStats = o.outboxStats
    ? shareOneReadPerScrape(o.outboxStats, o.timeoutMs, () => outboxStatsErrors.inc())
    : undefined;

  const outboxStatsErrors = new Counter({
    name: `${o.prefix}outbox_stats_errors_total`,
    help: "Scrapes at which reading outbox statistics failed or timed out",
    registers,
    // Waits for this scrape's read so a failure is counted in the same scrape.
    async collect() {
      await readStats?.();
    },
  });
  const outboxDepth = new Gauge({
    name: `${o.prefix}outbox_depth`,
    help: "Outbox deliveries by state (due, pending, dead-lettered), read from the store at scrape time",
    labelNames: ["state"] as const,
    registers,
    async collect() {
      const stats = await readStats?.();
      this.reset();
      if (!stats) return;
      this.set({ state: "due" }, stats.due);
      this.set({ state: "pending" }, stats.pending);
      this.set({ state: "dead-lettered" }, stats.deadLettered);
    },
  });
  const outboxOldestAgeSeconds = new Gauge({
    name: `${o.prefix}outbox_oldest_due_age_seconds`,
    help: "Age of the oldest due delivery still waiting for an attempt, read at scrape time",
    registers,
    async collect() {
      if (!readStats) return;
      const stats = await readStats();
      this.set(stats ? stats.oldestDueAgeMs / 1000 : Number.NaN);
    },
  });
  return { outboxDepth, outboxOldestAgeSeconds, outboxStatsErrors };
}

/**
 * prom-client calls every collect() of a scrape in the same tick, so the three outbox metrics share
 * one store query. Failures resolve to undefined and are reported once.
 */
function shareOneReadPerScrape(
  read: () => Promise<OutboxStats>,
  timeoutMs: number,
  onError: () => void,
): () => Promise<OutboxStats | undefined> {
  let inFlight: Promise<OutboxStats | undefined> | undefined;
  return () => {
    inFlight ??= readWithTimeout(read, timeoutMs)
      .catch(() => {
        onError();
        return undefined;
      })
      .finally(() => (inFlight = undefined));
    return inFlight;
  };
}

async function readWithTimeout<T>(read: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`outboxStats timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
