/** Outbox gauges from the bridge's GET /metrics (gnb_outbox_*), read over HTTP: the bridge is another process. */
export interface OutboxSample {
  atMs: number;
  pending: number;
  due: number;
  oldestDueAgeS: number;
  sinkSends: number;
}

export function parseOutboxGauges(text: string): { pending: number; due: number; oldestDueAgeS: number } {
  const value = (re: RegExp): number => Number(re.exec(text)?.[1] ?? NaN);
  return {
    pending: value(/^gnb_outbox_depth\{state="pending"\} (\S+)$/m),
    due: value(/^gnb_outbox_depth\{state="due"\} (\S+)$/m),
    oldestDueAgeS: value(/^gnb_outbox_oldest_due_age_seconds (\S+)$/m),
  };
}

export async function readSinkSends(sinkUrl: string): Promise<number> {
  const r = await fetch(`${sinkUrl}/_count`);
  return ((await r.json()) as { sends: number }).sends;
}

export async function sampleOutbox(bridgeUrl: string, sinkUrl: string, startedMs: number): Promise<OutboxSample> {
  const [metrics, sinkSends] = await Promise.all([fetch(`${bridgeUrl}/metrics`).then((r) => r.text()), readSinkSends(sinkUrl)]);
  return { atMs: performance.now() - startedMs, ...parseOutboxGauges(metrics), sinkSends };
}

/** Samples every `everyMs` until stopped; a failed scrape is skipped, not fatal. */
export function startOutboxSampling(bridgeUrl: string, sinkUrl: string, everyMs: number): { stop(): Promise<OutboxSample[]> } {
  const started = performance.now();
  const samples: OutboxSample[] = [];
  let inFlight: Promise<void> = Promise.resolve();
  const take = (): void => {
    inFlight = sampleOutbox(bridgeUrl, sinkUrl, started).then((s) => void samples.push(s), () => undefined);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
      return samples;
    },
  };
}

/** Cumulative counts of the bridge's own accept-latency histogram (POST /beta/me/notifications), by bucket bound in seconds. */
export type AcceptBuckets = Map<number, number>;

export function parseAcceptBuckets(text: string): AcceptBuckets {
  const buckets: AcceptBuckets = new Map();
  for (const m of text.matchAll(/^gnb_http_request_duration_seconds_bucket\{([^}]*)\} (\S+)$/gm)) {
    if (!m[1].includes('route="/beta/me/notifications"')) continue;
    const le = /le="([^"]+)"/.exec(m[1])?.[1];
    if (le === undefined) continue;
    const bound = le === "+Inf" ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(m[2])); // summed over the other labels
  }
  return buckets;
}

/** The histogram now; empty (so the p99 reads n/a) if the scrape failed. */
export async function readAcceptBuckets(bridgeUrl: string): Promise<AcceptBuckets> {
  try {
    return parseAcceptBuckets(await (await fetch(`${bridgeUrl}/metrics`)).text());
  } catch {
    return new Map();
  }
}

/**
 * The bridge's own p99 accept latency between two scrapes, as the upper bound (ms) of the histogram
 * bucket it falls in (coarse: 5, 10, 25, 50, 100 ms…). Its timer runs from Node having parsed the
 * request's headers to the answer being handed to the kernel, so it leaves out what the load
 * generator counts besides: waiting in the listen queue to be accepted, bytes waiting unread on a
 * busy loop's socket, and the generator's own delays.
 */
export function serverP99UpperBoundMs(before: AcceptBuckets, after: AcceptBuckets): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  if (total <= 0) return NaN;
  const bound = bounds.find((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0) >= 0.99 * total);
  return bound === undefined ? NaN : bound * 1000;
}
