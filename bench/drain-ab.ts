import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";
import { startBridgeChild } from "./lib/bridge-child.js";
import { spawnTs } from "./lib/children.js";
import { runLoad } from "./lib/load.js";
import { readSinkSends } from "./lib/probes.js";

/**
 * `npx tsx bench/drain-ab.ts --a=<built tree> --b=<built tree> [--rounds=4] [--requests=10000]`: the
 * bridge's CPU per delivery while it drains a backlog, for two builds (or one build with
 * `--env-a`/`--env-b` settings), alternating A and B every round. The backlog is made once
 * (`--requests` legacy POSTs to a BRIDGE_ROLE=api bridge of A, 3 deliveries each) and copied for
 * every run, so each drains the very same rows. CPU is every process and thread of the bridge,
 * counted from the moment it answers /healthz until the sink has every delivery, over the sends the
 * sink counted in that window (start-up left out). Prints every run and the medians.
 */
const { values: args } = parseArgs({
  options: {
    a: { type: "string" }, b: { type: "string" },
    rounds: { type: "string", default: "4" },
    requests: { type: "string", default: "10000" },
    "env-a": { type: "string", multiple: true }, "env-b": { type: "string", multiple: true },
  },
});
if (!args.a || !args.b) throw new Error("--a and --b: directories of built bridges (holding src/main.js)");
const envOf = (list: string[] | undefined): Record<string, string> =>
  Object.fromEntries((list ?? []).map((s) => [s.slice(0, s.indexOf("=")), s.slice(s.indexOf("=") + 1)]));
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const log = (s: string) => console.error(`[drain-ab] ${s}`);

const sink = spawnTs("bench/children/nh-sink.ts", {});
const sinkPort = await sink.line("READY ", 20_000);
const sinkUrl = `http://127.0.0.1:${sinkPort}`;
const connectionString = `Endpoint=http://127.0.0.1:${sinkPort}/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=${Buffer.alloc(32, 7).toString("base64")}`;
const dir = mkdtempSync(join(tmpdir(), "gnb-drain-ab-"));
const master = join(dir, "backlog.db");

try {
  // The backlog, once: an API-only bridge accepts and never sends; stopping it checkpoints the WAL.
  const filler = await startBridgeChild({
    backend: "sqlite", connectionString, entry: `${args.a}/src/main.js`, env: { BRIDGE_ROLE: "api" },
    database: { url: `sqlite:${master}`, remove: async () => undefined },
  });
  const fill = await runLoad({ url: filler.url, connections: 32, durationS: 120, amount: Number(args.requests), runTag: "drain-ab-fill" });
  await filler.stop();
  const backlog = fill.ok * 3;
  log(`backlog: ${backlog} deliveries`);

  const measure = async (v: "A" | "B", round: number): Promise<number> => {
    const runDir = join(dir, `${v}${round}`);
    const file = `${runDir}.db`;
    copyFileSync(master, file);
    for (const ext of ["-wal", "-shm"]) if (existsSync(master + ext)) copyFileSync(master + ext, file + ext);
    const sendsAtStart = await readSinkSends(sinkUrl);
    const bridge = await startBridgeChild({
      backend: "sqlite", connectionString, entry: `${v === "A" ? args.a : args.b}/src/main.js`,
      env: envOf(v === "A" ? args["env-a"] : args["env-b"]),
      database: { url: `sqlite:${file}`, remove: async () => rmSync(file, { force: true }) },
    });
    try {
      const cpu0 = bridge.cpuMs();
      const sends0 = await readSinkSends(sinkUrl);
      const started = performance.now();
      while ((await readSinkSends(sinkUrl)) - sendsAtStart < backlog) {
        if (performance.now() - started > 120_000) throw new Error(`${v}: not drained in 120 s`);
        await sleep(50);
      }
      const cpu = bridge.cpuMs() - cpu0;
      const sends = (await readSinkSends(sinkUrl)) - sends0;
      return cpu / sends;
    } finally {
      await bridge.stop();
    }
  };

  const runs: Record<"A" | "B", number[]> = { A: [], B: [] };
  for (let round = 0; round < Number(args.rounds); round++) {
    for (const v of (round % 2 === 0 ? ["A", "B"] : ["B", "A"]) as Array<"A" | "B">) {
      const ms = await measure(v, round);
      runs[v].push(ms);
      log(`round ${round + 1} ${v}: ${ms.toFixed(4)} ms CPU per delivery`);
    }
  }
  for (const v of ["A", "B"] as const) console.log(`${v}: CPU per delivery while draining, median ${median(runs[v]).toFixed(4)} ms (${runs[v].map((x) => x.toFixed(4)).join(", ")})`);
} finally {
  await sink.stop();
  rmSync(dir, { recursive: true, force: true });
}
