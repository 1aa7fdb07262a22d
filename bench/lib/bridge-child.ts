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
  /** This many whole bridges (BRIDGE_ROLE=all) on one database, each on its own port: the scale-out. Default 1. */
  bridges?: number;
  /** Run on this database instead of a fresh one (it is then left for its owner to remove). */
  database?: BenchDatabase;
}

/** A database a bench run uses: a SQLite file or a PostgreSQL database, and how to remove it. */
export interface BenchDatabase {
  url: string;
  remove(): Promise<void>;
}

/** A fresh, empty database for one run: a temp SQLite file, or a new PostgreSQL database. */
export async function createDatabase(backend: Backend): Promise<BenchDatabase> {
  if (backend === "postgres") {
    const db = await createBenchDatabase();
    return { url: db.url, remove: db.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), "gnb-bench-"));
  return { url: `sqlite:${join(dir, "bridge.db")}`, remove: async () => rmSync(dir, { recursive: true, force: true }) };
}

export interface BridgeChild {
  /** The first bridge's URL. */
  url: string;
  /** Every bridge taking requests (several with `bridges`). */
  urls: string[];
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

/** Starts the bridge (`node dist/src/main.js` as `npm start` runs it, or a .ts entry through tsx) on a fresh database. */
export async function startBridgeChild(o: BridgeChildOptions): Promise<BridgeChild> {
  const db = o.database ?? (await createDatabase(o.backend));
  const cleanup = o.database ? async () => undefined : db.remove;
  const entry = o.entry ?? "src/main.ts";
  const nodeArgs = [
    ...(entry.endsWith(".js") ? startScriptNodeFlags(entry) : []), // as `npm start` runs it
    ...(o.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${o.cpuProfDir}`] : []),
  ];
  const children: Child[] = [];
  const urls: string[] = [];
  // One at a time: the first applies the migrations, the others find them applied.
  const start = async (extra: Record<string, string>, serves: boolean): Promise<void> => {
    const port = await freePort();
    const child = spawnTs(entry, { ...bridgeEnv(port, db.url, o.connectionString), ...o.env, ...extra }, nodeArgs);
    children.push(child);
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 20_000, child);
    if (serves) urls.push(`http://127.0.0.1:${port}`);
  };
  try {
    if (o.split) {
      await start({ BRIDGE_ROLE: "api" }, true);
      await start({ BRIDGE_ROLE: "worker" }, false);
    } else {
      for (let i = 0; i < (o.bridges ?? 1); i++) await start({}, true);
    }
    const memory = children.map((c) => sampleMemory(c.pid));
    return {
      url: urls[0],
      urls,
      pid: children[0].pid,
      cpuMs: () => children.reduce((sum, c) => sum + readTreeCpuMs(c.pid), 0),
      threadCpuMs: () => children.map((c) => readThreadCpuMs(c.pid)).reduce((a, b) => ({
        mainLoops: a.mainLoops + b.mainLoops, outboxThread: a.outboxThread + b.outboxThread, otherThreads: a.otherThreads + b.otherThreads,
      })),
      async stop() {
        const peaks = memory.map((m) => m.stop());
        for (const c of children) await c.stop(15_000);
        await cleanup();
        // Whole bridges side by side add up; a split pair is reported by its larger process.
        return o.split ? Math.max(...peaks) : peaks.reduce((a, b) => a + b, 0);
      },
    };
  } catch (e) {
    for (const c of children) await c.stop();
    await cleanup();
    throw e;
  }
}
