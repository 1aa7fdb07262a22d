import { createDatabase, startBridgeChild, type Backend } from "./bridge-child.js";
import { PLATFORMS_PER_REQUEST } from "./legacy-request.js";
import { runLoad } from "./load.js";
import { readSinkSends } from "./probes.js";
import type { BenchContext } from "./scenarios.js";

/** Issue 17's target: the peak RSS of a backlog built during an NH outage, at most this times the same load with NH up. */
export const OUTAGE_RSS_RATIO_TARGET = 1.5;

export interface OutageBacklogRun {
  accepted: number;
  /** Highest RSS of the bridge's processes from start to drained (sampled every 250 ms). */
  peakRssMb: number;
  loadS: number;
  /** From the end of the load (and of the outage) until every delivery reached the sink. */
  drainS: number;
}

export interface OutageBacklogResult {
  requests: number;
  hubUp: OutageBacklogRun;
  outage: OutageBacklogRun;
  ratio: number;
}

/** Outage runs retry for as long as the load lasts, and come back quickly once NH does. */
const OUTAGE_ENV = { OUTBOX_MAX_ATTEMPTS: "100", OUTBOX_MAX_BACKOFF_MS: "5000" };

async function setOutage(sinkUrl: string, on: boolean): Promise<void> {
  const res = await fetch(`${sinkUrl}/_outage`, { method: "PUT", body: on ? "on" : "off" });
  if (!res.ok) throw new Error(`sink outage switch: ${res.status}`);
}

async function oneRun(backend: Backend, c: BenchContext, requests: number, outage: boolean): Promise<OutageBacklogRun> {
  const database = await createDatabase(backend);
  await setOutage(c.sinkUrl, outage);
  try {
    const bridge = await startBridgeChild({ backend, database, connectionString: c.sinkConnectionString, env: { ...c.bridgeEnv, ...OUTAGE_ENV }, entry: c.entry });
    let peakRssMb = 0;
    let drainS = 0;
    let load;
    try {
      const sendsBefore = await readSinkSends(c.sinkUrl);
      load = await runLoad({ url: bridge.url, connections: c.connections, durationS: 600, amount: requests, runTag: `${backend}-outage-${outage}` });
      await setOutage(c.sinkUrl, false);
      const drainStart = performance.now();
      const backlog = load.ok * PLATFORMS_PER_REQUEST;
      while (performance.now() - drainStart < 600_000 && (await readSinkSends(c.sinkUrl)) - sendsBefore < backlog) await new Promise((r) => setTimeout(r, 250));
      drainS = (performance.now() - drainStart) / 1000;
    } finally {
      peakRssMb = await bridge.stop();
    }
    return { accepted: load.ok, peakRssMb, loadS: load.seconds, drainS };
  } finally {
    await setOutage(c.sinkUrl, false);
    await database.remove();
  }
}

/**
 * Scenario 4: `requests` accepted while NH answers every send 503 (the outbox retrying all along),
 * then NH back and the backlog drained; beside it the same load with NH up. Peak RSS of both.
 */
export async function runOutageBacklog(backend: Backend, c: BenchContext, requests: number): Promise<OutageBacklogResult> {
  const hubUp = await oneRun(backend, c, requests, false);
  const outage = await oneRun(backend, c, requests, true);
  return { requests, hubUp, outage, ratio: outage.peakRssMb / hubUp.peakRssMb };
}

export function formatOutageBacklog(r: OutageBacklogResult): string {
  const mark = r.ratio <= OUTAGE_RSS_RATIO_TARGET ? "✅" : "❌";
  const run = (x: OutageBacklogRun) => `${x.accepted.toLocaleString("en-US")} accepted in ${x.loadS.toFixed(0)} s, peak RSS ${x.peakRssMb.toFixed(0)} MB, drained ${x.drainS.toFixed(1)} s after`;
  return [
    `${mark} Scenario 4 (backlog during an NH outage): peak RSS ${r.ratio.toFixed(2)}x the NH-up run (target ≤ ${OUTAGE_RSS_RATIO_TARGET}x)`,
    `  NH up:   ${run(r.hubUp)}`,
    `  NH down: ${run(r.outage)} (NH answering 503 to every send until the load ended)`,
  ].join("\n");
}
