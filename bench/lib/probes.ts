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
