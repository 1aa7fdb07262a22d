import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, spawnTs, waitForHttp, type Child } from "./children.js";
import { startScriptNodeFlags } from "./start-flags.js";
import { createBenchDatabase } from "./postgres-db.js";
import { readThreadCpuMs, readTreeCpuMs, sampleMemory, type ThreadCpuMs } from "./proc-stats.js";

export type Backend = "sqlite" | "postgres";

export interface BridgeChildOptions {
  backend: Backend;
  /** Connection string of the NH sink. */
  connectionString: string;
  /** Added to (and overriding) the bridge's environment, e.g. OUTBOX_BATCH_SIZE. */
  env?: Record<string, string>;
  /** Write a V8 CPU profile of the bridge into this directory when it exits. */
  cpuProfDir?: string;
  /** Defaults to src/main.ts (through tsx); a compiled main.js runs on plain node. */
  entry?: string;
  /** Two processes on one database: BRIDGE_ROLE=api takes the requests, BRIDGE_ROLE=worker delivers. */
  split?: boolean;
}

export interface BridgeChild {
  url: string;
  pid: number;
  /** CPU (user + system, ms) used so far by every process of this bridge (API processes included). */
  cpuMs(): number;
  /** The same CPU by role of thread: main loops, outbox thread, other threads (see readThreadCpuMs). */
  threadCpuMs(): ThreadCpuMs;
  /** Stops the bridge (SIGTERM, graceful), removes its database; resolves with peak RSS in MB (all its processes, see sampleMemory). */
  stop(): Promise<number>;
}

/** The bridge's environment for a bench run: loopback, no auth, no rate limit, quiet logs. */
export function bridgeEnv(port: number, databaseUrl: string, connectionString: string): Record<string, string> {
  return {
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    AUTH_MODE: "none",
    RATE_LIMIT_PER_MINUTE: "0",
    DELIVERY_MODE: "outbox",
    DATABASE_URL: databaseUrl,
    NOTIFICATIONHUBS_CONNECTION_STRING: connectionString,
    NOTIFICATION_HUB_NAME: "bench",
  };
}

/** Starts `node --import tsx src/main.ts` on a fresh SQLite file or a fresh PostgreSQL database. */
export async function startBridgeChild(o: BridgeChildOptions): Promise<BridgeChild> {
  const port = await freePort();
  let databaseUrl: string;
  let cleanup: () => Promise<void>;
  if (o.backend === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "gnb-bench-"));
    databaseUrl = `sqlite:${join(dir, "bridge.db")}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const db = await createBenchDatabase();
    databaseUrl = db.url;
    cleanup = db.drop;
  }
  const entry = o.entry ?? "src/main.ts";
  const nodeArgs = [
    ...(entry.endsWith(".js") ? startScriptNodeFlags(entry) : []), // as `npm start` runs it
    ...(o.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${o.cpuProfDir}`] : []),
  ];
  const children: Child[] = [];
  try {
    const env = { ...bridgeEnv(port, databaseUrl, o.connectionString), ...o.env };
    const child = spawnTs(o.entry ?? "src/main.ts", o.split ? { ...env, BRIDGE_ROLE: "api" } : env, nodeArgs);
    children.push(child);
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/healthz`, 20_000, child);
    if (o.split) {
      const workerPort = await freePort();
      const worker = spawnTs(o.entry ?? "src/main.ts", { ...env, BRIDGE_ROLE: "worker", PORT: String(workerPort) }, nodeArgs);
      children.push(worker);
      await waitForHttp(`http://127.0.0.1:${workerPort}/healthz`, 20_000, worker);
    }
    const memory = children.map((c) => sampleMemory(c.pid));
    return {
      url,
      pid: child.pid,
      cpuMs: () => children.reduce((sum, c) => sum + readTreeCpuMs(c.pid), 0),
      threadCpuMs: () => children.map((c) => readThreadCpuMs(c.pid)).reduce((a, b) => ({
        mainLoops: a.mainLoops + b.mainLoops, outboxThread: a.outboxThread + b.outboxThread, otherThreads: a.otherThreads + b.otherThreads,
      })),
      async stop() {
        const peak = Math.max(...memory.map((m) => m.stop()));
        for (const c of children) await c.stop(15_000);
        await cleanup();
        return peak;
      },
    };
  } catch (e) {
    for (const c of children) await c.stop();
    await cleanup();
    throw e;
  }
}
