import { createDatabase, startBridgeChild, type Backend } from "./bridge-child.js";
import { PLATFORMS_PER_REQUEST } from "./legacy-request.js";
import { runLoad, runLoadOnAll, type LoadResult } from "./load.js";
import { runPacedLoad } from "./paced-load.js";
import { readCpuMsOfCommand, readMemoryMb, processTree, type ThreadCpuMs } from "./proc-stats.js";
import { readAcceptBuckets, readSinkSends, sampleOutbox, serverP99UpperBoundMs, startOutboxSampling, type OutboxSample } from "./probes.js";

export interface BenchContext {
  sinkUrl: string;
  sinkConnectionString: string;
  bridgeEnv: Record<string, string>;
  cpuProfDir?: string;
  entry?: string;
  /** BRIDGE_ROLE=api and BRIDGE_ROLE=worker in two processes on one database. */
  split?: boolean;
  /** Whole bridges on one database (the load shared out between them). Default 1. */
  bridges?: number;
  durations: { maxS: number; fixedS: number; warmS: number };
  connections: number;
  fixedRate: number;
}

export interface MaxAcceptResult {
  load: LoadResult;
  /** Sink sends per second while the load ran (the worker competes with the API for CPU). */
  deliveredDuringLoadPerSec: number;
  /** Sink sends per second once the load stopped: the worker's drain rate with the CPU to itself. */
  drainPerSec: number;
  /** Bridge CPU (user + system) per accepted request during the load, delivery work done meanwhile included. */
  cpuMsPerAccept: number;
  /** Bridge CPU per delivery while draining. */
  cpuMsPerDelivery: number;
  /** cpuMsPerAccept minus the delivery work done meanwhile (estimated with cpuMsPerDelivery). */
  cpuMsPerAcceptOnly: number;
  peakRssMb: number;
}

export interface FixedRateResult {
  load: LoadResult;
  deliveredPerSec: number;
  /** Deliveries the accepted requests asked for, per second. */
  offeredDeliveriesPerSec: number;
  backlogStart: number;
  backlogEnd: number;
  backlogMax: number;
  oldestDueAgeEndS: number;
  /** Seconds after the load until the outbox was empty (undefined: not within the bound). */
  drainAfterS?: number;
  keepsPace: boolean;
  /** Bridge CPU use during the run, in cores (1 = one core busy). */
  cpuCores: number;
  /**
   * Bridge CPU (all processes and threads) from the start of the paced load until the outbox was
   * empty again, per accepted notification: one notification to three platforms, accept and sends.
   */
  cpuMsPerNotification: number;
  /** The bridge's own accept p99 (upper bound of its histogram bucket, ms): see serverP99UpperBoundMs. */
  serverP99UpperBoundMs: number;
  /** Main-thread CPU per accepted request (ms), API processes' and primary's; NaN when split (the worker's main loop sends). */
  mainLoopMsPerAccept: number;
  /** The same by role of thread, in cores: where the CPU went (see readThreadCpuMs). */
  cpuCoresByThread: ThreadCpuMs;
  /** PostgreSQL server CPU during the run, in cores (PostgreSQL backend only). */
  dbCpuCores?: number;
  peakRssMb: number;
  samples: OutboxSample[];
}

/** The bridges' accept histograms summed (several bridges: one distribution). */
async function readAcceptBucketsOfAll(urls: string[]): Promise<Map<number, number>> {
  const sum = new Map<number, number>();
  for (const m of await Promise.all(urls.map(readAcceptBuckets))) for (const [k, v] of m) sum.set(k, (sum.get(k) ?? 0) + v);
  return sum;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits (bounded) until the outbox is empty; resolves with the seconds it took, or undefined. */
async function waitForEmptyOutbox(bridgeUrl: string, sinkUrl: string, boundS: number): Promise<number | undefined> {
  const started = performance.now();
  while (performance.now() - started < boundS * 1000) {
    const s = await sampleOutbox(bridgeUrl, sinkUrl, started);
    if (s.pending === 0) return (performance.now() - started) / 1000;
    await sleep(200);
  }
  return undefined;
}

/** Scenario 1: as many accepts as `connections` connections can get for maxS seconds. */
export async function runMaxAccept(backend: Backend, c: BenchContext): Promise<MaxAcceptResult> {
  const bridge = await startBridgeChild({ backend, connectionString: c.sinkConnectionString, env: c.bridgeEnv, cpuProfDir: c.cpuProfDir, entry: c.entry, split: c.split, bridges: c.bridges });
  try {
    await runLoadOnAll(bridge.urls, { connections: c.connections, durationS: c.durations.warmS, runTag: `${backend}-max-warm` });
    const before = await readSinkSends(c.sinkUrl);
    const cpu0 = bridge.cpuMs();
    const load = await runLoadOnAll(bridge.urls, { connections: c.connections, durationS: c.durations.maxS, runTag: `${backend}-max` });
    const cpu1 = bridge.cpuMs();
    const atEnd = await readSinkSends(c.sinkUrl);
    const drainS = 4;
    await sleep(drainS * 1000);
    const cpu2 = bridge.cpuMs();
    const drained = await readSinkSends(c.sinkUrl);
    const cpuMsPerDelivery = (cpu2 - cpu1) / Math.max(1, drained - atEnd);
    return {
      load,
      deliveredDuringLoadPerSec: (atEnd - before) / load.seconds,
      drainPerSec: (drained - atEnd) / drainS,
      cpuMsPerAccept: (cpu1 - cpu0) / load.ok,
      cpuMsPerDelivery,
      cpuMsPerAcceptOnly: (cpu1 - cpu0 - (atEnd - before) * cpuMsPerDelivery) / load.ok,
      peakRssMb: await bridge.stop(),
    };
  } catch (e) {
    await bridge.stop();
    throw e;
  }
}

/** Scenario 2: a steady `fixedRate` requests/s; does the outbox keep pace? */
export async function runFixedRate(backend: Backend, c: BenchContext): Promise<FixedRateResult> {
  const bridge = await startBridgeChild({ backend, connectionString: c.sinkConnectionString, env: c.bridgeEnv, cpuProfDir: c.cpuProfDir, entry: c.entry, split: c.split, bridges: c.bridges });
  try {
    await runPacedLoad({ url: bridge.urls, rate: c.fixedRate / 2, durationS: c.durations.warmS, runTag: `${backend}-fixed-warm` });
    await waitForEmptyOutbox(bridge.url, c.sinkUrl, 10);
    const buckets0 = await readAcceptBucketsOfAll(bridge.urls);
    const sampling = startOutboxSampling(bridge.url, c.sinkUrl, 1000);
    const before = await readSinkSends(c.sinkUrl);
    const cpu0 = bridge.cpuMs();
    const threads0 = bridge.threadCpuMs();
    const db0 = backend === "postgres" ? readCpuMsOfCommand("postgres") : NaN;
    const load = await runPacedLoad({ url: bridge.urls, rate: c.fixedRate, durationS: c.durations.fixedS, runTag: `${backend}-fixed` });
    const cpuCores = (bridge.cpuMs() - cpu0) / (load.seconds * 1000);
    const threads1 = bridge.threadCpuMs();
    const cores = (k: keyof ThreadCpuMs) => (threads1[k] - threads0[k]) / (load.seconds * 1000);
    const cpuCoresByThread = { mainLoops: cores("mainLoops"), outboxThread: cores("outboxThread"), otherThreads: cores("otherThreads") };
    const mainLoopMsPerAccept = c.split ? NaN : (threads1.mainLoops - threads0.mainLoops) / load.ok;
    const dbCpuCores = backend === "postgres" ? (readCpuMsOfCommand("postgres") - db0) / (load.seconds * 1000) : undefined;
    const after = await readSinkSends(c.sinkUrl);
    const samples = await sampling.stop();
    const serverP99 = serverP99UpperBoundMs(buckets0, await readAcceptBucketsOfAll(bridge.urls));
    const drainAfterS = await waitForEmptyOutbox(bridge.url, c.sinkUrl, 10);
    const cpuMsPerNotification = (bridge.cpuMs() - cpu0) / load.ok;
    const offeredDeliveriesPerSec = (load.ok * PLATFORMS_PER_REQUEST) / load.seconds;
    const deliveredPerSec = (after - before) / load.seconds;
    const pending = samples.map((s) => s.pending).filter(Number.isFinite);
    const last = samples[samples.length - 1];
    const backlogEnd = last?.pending ?? NaN;
    return {
      load,
      deliveredPerSec,
      offeredDeliveriesPerSec,
      backlogStart: samples[0]?.pending ?? NaN,
      backlogEnd,
      backlogMax: Math.max(...pending),
      oldestDueAgeEndS: last?.oldestDueAgeS ?? NaN,
      drainAfterS,
      // Keeping pace: (nearly) everything accepted was sent within the window and no more than one
      // second of work is queued at the end.
      keepsPace: deliveredPerSec >= 0.97 * offeredDeliveriesPerSec && backlogEnd <= offeredDeliveriesPerSec,
      serverP99UpperBoundMs: serverP99,
      cpuCores,
      cpuMsPerNotification,
      cpuCoresByThread,
      mainLoopMsPerAccept,
      dbCpuCores,
      peakRssMb: await bridge.stop(),
      samples,
    };
  } catch (e) {
    await bridge.stop();
    throw e;
  }
}

export interface BacklogDrainResult {
  /** Deliveries queued when the delivering bridge started (accepted by a BRIDGE_ROLE=api bridge that does not send). */
  backlog: number;
  drainedS: number;
  deliveredPerSec: number;
  /** Resident memory (all processes, MB) sampled every 250 ms while the backlog drained. */
  rssSamplesMb: number[];
  /** The highest RSS in the first and in the second half of the drain. */
  firstHalfPeakMb: number;
  secondHalfPeakMb: number;
}

/**
 * Scenario 3: a backlog of `requests` × 3 deliveries, accepted by a BRIDGE_ROLE=api bridge (which
 * never sends), then drained by a whole bridge started on the same database. Memory that grows with
 * the backlog (the queue held in memory, per-delivery state kept after the send) shows as a second
 * half of the drain above the first; a bounded outbox stays flat once its heaps have grown to size.
 */
export async function runBacklogDrain(backend: Backend, c: BenchContext, requests: number): Promise<BacklogDrainResult> {
  const database = await createDatabase(backend);
  try {
    const filler = await startBridgeChild({ backend, database, connectionString: c.sinkConnectionString, env: { ...c.bridgeEnv, BRIDGE_ROLE: "api", API_PROCESSES: "1" }, entry: c.entry });
    const fill = await runLoad({ url: filler.url, connections: c.connections, durationS: 60, amount: requests, runTag: `${backend}-backlog` }).finally(() => filler.stop());
    const backlog = fill.ok * PLATFORMS_PER_REQUEST;
    const sendsBefore = await readSinkSends(c.sinkUrl);
    const bridge = await startBridgeChild({ backend, database, connectionString: c.sinkConnectionString, env: c.bridgeEnv, entry: c.entry });
    const started = performance.now();
    const rssSamplesMb: number[] = [];
    const take = () => rssSamplesMb.push(processTree(bridge.pid).reduce((sum, p) => sum + (readMemoryMb(p)?.rssMb ?? 0), 0));
    const timer = setInterval(take, 250);
    try {
      take();
      while (performance.now() - started < 120_000 && (await readSinkSends(c.sinkUrl)) - sendsBefore < backlog) await sleep(250);
    } finally {
      clearInterval(timer);
      await bridge.stop();
    }
    const drainedS = (performance.now() - started) / 1000;
    const half = Math.floor(rssSamplesMb.length / 2);
    return {
      backlog,
      drainedS,
      deliveredPerSec: ((await readSinkSends(c.sinkUrl)) - sendsBefore) / drainedS,
      rssSamplesMb,
      firstHalfPeakMb: Math.max(...rssSamplesMb.slice(0, half)),
      secondHalfPeakMb: Math.max(...rssSamplesMb.slice(half)),
    };
  } finally {
    await database.remove();
  }
}
