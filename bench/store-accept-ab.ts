import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { AcceptInput, Store } from "../src/store/store.js";
import { REPO_ROOT } from "./lib/children.js";
import { RECORDED_RAW_BODY, recordedNativeSends, unsIdFor } from "./lib/legacy-request.js";

/**
 * `npx tsx bench/store-accept-ab.ts --base=<checkout>`: main-thread cost of the SQLite accept,
 * in process, this tree (B) against another checkout (A: e.g. `git worktree add --detach <dir> main`
 * plus a node_modules link). Recorded accepts (the recorded raw body's three native sends, a feed
 * item, a fresh X-UNS-ID each, so every accept looks up its slot and creates) go straight to each
 * tree's SqliteStore, `--at-once` together (one group commit); runs alternate A B B A so the
 * machine's drift falls on both. Per run: CPU and wall time per accept, and bytes allocated per
 * accept (V8's `allocated=` summed over the run's GCs, from --trace-gc-nvp; a full GC closes each run).
 */
const { values: args } = parseArgs({
  options: {
    base: { type: "string" }, accepts: { type: "string", default: "20000" }, rounds: { type: "string", default: "3" },
    "at-once": { type: "string", default: "50" }, child: { type: "boolean", default: false },
  },
});
const accepts = Number(args.accepts);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

if (args.child) await child();
else await parent();

interface Run { tree: "A" | "B"; cpuUs: number; wallUs: number; allocatedBytes: number }

async function parent(): Promise<void> {
  if (!args.base) throw new Error("--base=<checkout of the other revision> is required");
  const self = fileURLToPath(import.meta.url);
  const proc = spawn(process.execPath, [
    "--trace-gc-nvp", "--expose-gc", "--import", "tsx", self,
    "--child", `--base=${resolve(String(args.base))}`, `--accepts=${accepts}`, `--rounds=${args.rounds}`, `--at-once=${args["at-once"]}`,
  ], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  proc.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
  const code = await new Promise<number | null>((done) => proc.once("exit", done));
  if (code !== 0) throw new Error(`child exited ${code}\n${out.slice(-2000)}`);
  const runs: Run[] = [];
  let allocated = 0;
  for (const line of out.split("\n")) {
    if (line.startsWith("RUN-START")) allocated = 0;
    const m = /\ballocated=(\d+)/.exec(line);
    if (m) allocated += Number(m[1]);
    if (line.startsWith("RUN-END ")) runs.push({ ...(JSON.parse(line.slice(8)) as Omit<Run, "allocatedBytes">), allocatedBytes: allocated });
  }
  const rows = runs.map((r, i) => `| ${i + 1} | ${r.tree} | ${(r.cpuUs / accepts).toFixed(1)} | ${(r.wallUs / accepts).toFixed(1)} | ${(r.allocatedBytes / accepts / 1024).toFixed(1)} |`);
  const summary = (t: "A" | "B") => {
    const mine = runs.filter((r) => r.tree === t);
    const f = (k: "cpuUs" | "wallUs", d = 1) => `${(median(mine.map((r) => r[k])) / accepts).toFixed(d)}`;
    return `| ${t} median | ${f("cpuUs")} | ${f("wallUs")} | ${(median(mine.map((r) => r.allocatedBytes)) / accepts / 1024).toFixed(1)} |`;
  };
  console.log([
    `SQLite accept through the store, ${accepts} accepts per run, ${args["at-once"]} at a time; A = ${args.base}, B = this tree`, "",
    "| run | tree | CPU µs/accept | wall µs/accept | allocated KB/accept |", "|---|---|---:|---:|---:|", ...rows, "",
    "| tree | CPU µs/accept | wall µs/accept | allocated KB/accept |", "|---|---:|---:|---:|", summary("A"), summary("B"),
  ].join("\n"));
}

async function child(): Promise<void> {
  const trees = { A: String(args.base), B: REPO_ROOT };
  type StoreModule = { SqliteStore: new (file: string) => Store & { close(): Promise<void> } };
  const modules = {
    A: (await import(pathToFileURL(join(trees.A, "src/store/sqlite/sqlite-store.ts")).href)) as StoreModule,
    B: (await import(pathToFileURL(join(trees.B, "src/store/sqlite/sqlite-store.ts")).href)) as StoreModule,
  };
  const now = new Date();
  const sends = recordedNativeSends(now);
  const inputs = (run: string, n: number): AcceptInput[] => Array.from({ length: n }, (_, i) => ({
    notification: {
      id: randomUUID(), unsId: unsIdFor(run, i), createdAt: now, targetHostName: RECORDED_RAW_BODY.targetHostName,
      appNotificationId: RECORDED_RAW_BODY.appNotificationId, platforms: ["windows", "ios", "android"],
      raw: { content: RECORDED_RAW_BODY.payload.rawContent }, priority: "High", expiresAt: new Date(now.getTime() + 60_000),
    },
    ackToken: randomUUID(), contentHash: "recorded", response: { baseUrl: "http://127.0.0.1:8080" }, feed: true,
    deliveries: sends.map((s) => ({ id: randomUUID(), platform: s.platform, purpose: s.purpose, send: s, dueAt: now })),
  }));
  const dir = mkdtempSync(join(tmpdir(), "accept-ab-"));
  try {
    for (let round = 0; round < Number(args.rounds); round++) {
      for (const tree of (round % 2 === 0 ? ["A", "B"] : ["B", "A"]) as Array<"A" | "B">) {
        const store = new modules[tree].SqliteStore(join(dir, `${tree}-${round}.db`));
        await store.migrate();
        const warm = inputs(`${tree}${round}w`, 2000);
        const timed = inputs(`${tree}${round}`, accepts);
        await acceptAll(store, warm, now);
        (globalThis as { gc?: () => void }).gc?.();
        console.log("RUN-START");
        const cpu = process.cpuUsage();
        const t0 = performance.now();
        await acceptAll(store, timed, now);
        const wallUs = (performance.now() - t0) * 1000;
        const used = process.cpuUsage(cpu);
        (globalThis as { gc?: () => void }).gc?.();
        console.log(`RUN-END ${JSON.stringify({ tree, cpuUs: used.user + used.system, wallUs })}`);
        await store.close();
        console.error(`[accept-ab] round ${round + 1} ${tree}: ${((used.user + used.system) / accepts).toFixed(1)} CPU µs per accept`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function acceptAll(store: Store, inputs: AcceptInput[], now: Date): Promise<void> {
  const atOnce = Number(args["at-once"]);
  for (let i = 0; i < inputs.length; i += atOnce) {
    await Promise.all(inputs.slice(i, i + atOnce).map((input) => store.acceptNotification({ ...input, now })));
  }
}
