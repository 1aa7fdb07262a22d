import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { RECORDED_RAW_BODY } from "./lib/legacy-request.js";

/**
 * `npx tsx bench/accept-inprocess.ts [--dist=dist] [--count=20000] [--batch=50]`: the accept path's
 * own work without HTTP, in this process, on a real SQLite file: validation, the hubs strategy's
 * submit (ids, mapping to three platforms, content hash) and the SQLite accept through the group
 * commit, `--batch` accepts per commit (concurrent requests share one). Prints this thread's CPU per
 * accept (/proc/thread-self/stat; GC helper threads and the checkpointing thread left out).
 *
 * `--dist` is a built tree (`npm run build` writes dist/; copy it aside to compare two builds,
 * alternating runs). `--stage=validate|map` stops after validation, or validation + mapping;
 * `--rate=N` starts N accepts per second instead of batches; `--feed=off`; `--sql=...` runs after the
 * migrations (an index dropped, a pragma); `--frames` counts the WAL pages written per accept
 * (no checkpoints meanwhile); `--keep` leaves the database and a copy of its WAL (wal.copy).
 */
const { values: args } = parseArgs({
  options: {
    dist: { type: "string", default: "dist" },
    count: { type: "string", default: "20000" },
    batch: { type: "string", default: "50" },
    stage: { type: "string", default: "store" },
    feed: { type: "string", default: "on" },
    warm: { type: "string", default: "4000" },
    keep: { type: "boolean", default: false },
    frames: { type: "boolean", default: false },
    rate: { type: "string", default: "0" },
    sql: { type: "string", multiple: true, default: [] },
  },
});
const base = pathToFileURL(resolve(String(args.dist), "src")).href;
const load = async <T>(p: string): Promise<T> => (await import(`${base}/${p}`)) as T;
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- modules of a tree chosen at run time
const { validateLegacyNotification } = await load<Any>("legacy/request-schema.js");
const { createNotificationHubsStrategy } = await load<Any>("delivery/hubs/hubs-strategy.js");
const { mapToNativeSends } = await load<Any>("delivery/hubs/mapping/index.js");
const { SqliteStore } = await load<Any>("store/sqlite/sqlite-store.js");

function threadCpuMs(): number {
  const stat = readFileSync("/proc/thread-self/stat", "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(f[11]) + Number(f[12])) * 10;
}

const dir = mkdtempSync(join(tmpdir(), "gnb-inproc-"));
const store = new SqliteStore(join(dir, "bridge.db"), { walCheckpoints: false });
await store.migrate();
for (const q of args.sql) (store as Any).db.exec(q);
// The bridge's main connection leaves WAL checkpoints to the outbox thread's: a second connection here.
const checkpointer = args.frames ? undefined : new Worker(`
  const { parentPort, workerData } = require("node:worker_threads");
  const Database = require(workerData.driver);
  const db = new Database(workerData.file);
  const timer = setInterval(() => { try { db.exec("PRAGMA wal_checkpoint(PASSIVE)"); } catch {} }, 100);
  parentPort.on("message", () => { clearInterval(timer); db.close(); parentPort.close(); });
`, { eval: true, workerData: { file: join(dir, "bridge.db"), driver: createRequire(import.meta.url).resolve("better-sqlite3") } });
const strategy = createNotificationHubsStrategy({
  sender: { checkReady: async () => undefined, send: async () => undefined },
  tagTemplate: "$UserId:{unsId}", iosFallbackMode: "deferred", now: () => new Date(),
  mode: { kind: "outbox", store }, feed: args.feed === "on",
});
const body = JSON.stringify(RECORDED_RAW_BODY);
let n = 0;
async function one(): Promise<void> {
  const raw = JSON.parse(body) as unknown; // what body-parser hands over
  const now = new Date();
  const v = validateLegacyNotification(raw, now);
  if (!v.ok) throw new Error("invalid");
  const unsId = `inproc-${n++}`;
  if (args.stage === "validate") return;
  if (args.stage === "map") {
    mapToNativeSends({ ...v.value, id: "x", unsId, createdAt: now }, { tagExpression: `$UserId:{${unsId}}`, iosFallbackMode: "deferred", ackToken: "t", now });
    return;
  }
  await strategy.submit(v.value, { unsId, requestId: "r", clientRequestId: "r", baseUrl: "http://127.0.0.1:1", caller: { kind: "anonymous" }, rawBody: raw });
}
async function run(count: number): Promise<void> {
  if (Number(args.rate) > 0) return paced(count, Number(args.rate));
  const batch = Number(args.batch);
  for (let i = 0; i < count; i += batch) await Promise.all(Array.from({ length: Math.min(batch, count - i) }, one));
}
/** Open loop: accept i starts at i/rate s whatever happened to the earlier ones (as requests arrive). */
async function paced(count: number, rate: number): Promise<void> {
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < count; ) {
    const due = Math.floor(((performance.now() - started) * rate) / 1000) + 1;
    for (; i < Math.min(due, count); i++) inFlight.push(one());
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
}
await run(Number(args.warm));
const t0 = threadCpuMs();
const w0 = performance.now();
await run(Number(args.count));
const ms = threadCpuMs() - t0;
if (args.frames) {
  // Pages written per commit: the WAL's growth while nobody checkpoints, in frames (page + 24-byte header).
  const { statSync } = await import("node:fs");
  console.log(JSON.stringify({ walFramesPerAccept: +((statSync(join(dir, "bridge.db-wal")).size - 32) / (4096 + 24) / (Number(args.warm) + Number(args.count))).toFixed(2) }));
}
console.log(JSON.stringify({ dist: args.dist, stage: args.stage, cpuMsPerAccept: +(ms / Number(args.count)).toFixed(4), wallMsPerAccept: +((performance.now() - w0) / Number(args.count)).toFixed(4) }));
checkpointer?.postMessage("stop");
if (checkpointer) await new Promise((r) => checkpointer.once("exit", r));
if (args.keep) (await import("node:fs")).copyFileSync(join(dir, "bridge.db-wal"), join(dir, "wal.copy"));
await store.close();
if (args.keep) console.log(dir); else rmSync(dir, { recursive: true, force: true });
