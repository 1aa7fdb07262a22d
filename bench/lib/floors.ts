import { spawnTs } from "./children.js";
import { runLoad, type LoadResult } from "./load.js";
import { runPacedLoad } from "./paced-load.js";
import { readCpuMs, readThreadCpuMs, sampleMemory } from "./proc-stats.js";

export type BareFloor = LoadResult & {
  peakRssMb: number;
  cpuMsPerRequest: number;
  /** The same server under scenario 2's paced load. */
  paced: PacedFloor;
};

/** A floor under scenario 2's paced load: latency, and CPU per request (higher than at full speed: fewer requests share each wake-up). */
export interface PacedFloor {
  p50Ms: number;
  p99Ms: number;
  cpuMsPerRequest: number;
  /** The main thread's share of it: what the bridge's main-loop figure compares with. */
  mainThreadMsPerRequest: number;
  connectionsOpened: number;
}

async function runPacedFloor(pid: number, url: string, o: { fixedRate: number; fixedS: number }, runTag: string): Promise<PacedFloor> {
  const cpu0 = readCpuMs(pid);
  const main0 = readThreadCpuMs(pid).mainLoops;
  const paced = await runPacedLoad({ url, rate: o.fixedRate, durationS: o.fixedS, runTag });
  return {
    p50Ms: paced.p50Ms, p99Ms: paced.p99Ms, cpuMsPerRequest: (readCpuMs(pid) - cpu0) / paced.ok,
    mainThreadMsPerRequest: (readThreadCpuMs(pid).mainLoops - main0) / paced.ok, connectionsOpened: paced.connectionsOpened ?? NaN,
  };
}

/** Floor (a): the same load against a bare node:http server in a child process. */
export async function runBareFloor(o: { connections: number; durationS: number; warmS: number; fixedRate: number; fixedS: number }): Promise<BareFloor> {
  const child = spawnTs("bench/children/bare-server.ts", {});
  try {
    const url = `http://127.0.0.1:${await child.line("READY ", 20_000)}`;
    const memory = sampleMemory(child.pid);
    await runLoad({ url, connections: o.connections, durationS: o.warmS, runTag: "bare-warm" });
    const cpu0 = readCpuMs(child.pid);
    const load = await runLoad({ url, connections: o.connections, durationS: o.durationS, runTag: "bare" });
    const cpuMsPerRequest = (readCpuMs(child.pid) - cpu0) / load.ok;
    const paced = await runPacedFloor(child.pid, url, o, "bare-paced");
    return { ...load, peakRssMb: memory.stop(), cpuMsPerRequest, paced };
  } finally {
    await child.stop();
  }
}

export interface ExpressFloor {
  acceptedPerSec: number;
  cpuMsPerRequest: number;
  paced: PacedFloor;
}

/** Floor (c): the same load against Express with a JSON body parser and one route, nothing more. */
export async function runExpressFloor(o: { connections: number; durationS: number; warmS: number; fixedRate: number; fixedS: number }): Promise<ExpressFloor> {
  const child = spawnTs("bench/children/bare-express.ts", {});
  try {
    const url = `http://127.0.0.1:${await child.line("READY ", 20_000)}`;
    await runLoad({ url, connections: o.connections, durationS: o.warmS, runTag: "express-warm" });
    const cpu0 = readCpuMs(child.pid);
    const load = await runLoad({ url, connections: o.connections, durationS: o.durationS, runTag: "express" });
    const cpuMsPerRequest = (readCpuMs(child.pid) - cpu0) / load.ok;
    const paced = await runPacedFloor(child.pid, url, o, "express-paced");
    return { acceptedPerSec: load.acceptedPerSec, cpuMsPerRequest, paced };
  } finally {
    await child.stop();
  }
}

export interface SdkFloor {
  sendsPerSec: number;
  sent: number;
  failed: number;
  concurrency: number;
  cpuMsPerSend: number;
}

/** Floor (b): the SDK client in its own process, sending the same native payloads to the sink. */
export async function runSdkFloor(o: { connectionString: string; durationS: number; concurrency: number }): Promise<SdkFloor> {
  const child = spawnTs("bench/children/sdk-sender.ts", {
    CONNECTION_STRING: o.connectionString,
    DURATION_MS: String(o.durationS * 1000),
    CONCURRENCY: String(o.concurrency),
  });
  try {
    return JSON.parse(await child.line("RESULT ", 30_000 + o.durationS * 1000)) as SdkFloor;
  } finally {
    await child.stop();
  }
}
