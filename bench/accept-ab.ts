import { parseArgs } from "node:util";
import { createDatabase, bridgeEnv } from "./lib/bridge-child.js";
import { freePort, spawnTs, waitForHttp } from "./lib/children.js";
import { runLoad } from "./lib/load.js";
import { runPacedLoad } from "./lib/paced-load.js";
import { readThreadCpuMs } from "./lib/proc-stats.js";

/**
 * `npx tsx bench/accept-ab.ts --a=<built tree> --b=<built tree> [--rounds=4]`: main-thread CPU per
 * accept of two builds of the bridge (each a directory holding `src/main.js`, as `npm run build`
 * writes into dist/), alternating A and B every round so the machine's drift falls on both. Per
 * round and build: a fresh bridge on a fresh SQLite file, a warm-up, `--amount` requests as fast as
 * `--connections` go, then a paced `--rate`/s for `--paced-s` seconds; main-thread CPU (from
 * /proc) over accepted requests for each. Prints every round and the medians. `--prof-dir=<dir>`
 * also writes V8 CPU profiles of each bridge there (a folder per run; read with bench/profile-top.ts).
 * `--role` is BRIDGE_ROLE of both; `--role-a`/`--role-b` set one side's (e.g. the same build with
 * `--role-b=api`, no outbox: what sending beside the accepts costs the main thread). `--env-a`/`--env-b`
 * add one bridge setting to one side (`--env-b=SQLITE_COMMIT_DELAY_MS=4`).
 */
const { values: args } = parseArgs({
  options: {
    a: { type: "string" }, b: { type: "string" },
    rounds: { type: "string", default: "4" },
    amount: { type: "string", default: "12000" },
    connections: { type: "string", default: "32" },
    rate: { type: "string", default: "1000" },
    "paced-s": { type: "string", default: "6" },
    role: { type: "string", default: "all" },
    "role-a": { type: "string" }, "role-b": { type: "string" },
    "env-a": { type: "string" }, "env-b": { type: "string" },
    "prof-dir": { type: "string" },
  },
});
if (!args.a || !args.b) throw new Error("--a and --b: directories of built bridges (holding src/main.js)");
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const log = (s: string) => console.error(`[accept-ab] ${s}`);
const sink = spawnTs("bench/children/nh-sink.ts", {});
const connectionString = `Endpoint=http://127.0.0.1:${await sink.line("READY ", 20_000)}/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=${Buffer.alloc(32, 7).toString("base64")}`;

/** `NAME=value` as an environment entry; nothing for undefined. */
const envOf = (s: string | undefined): Record<string, string> => (s ? { [s.slice(0, s.indexOf("="))]: s.slice(s.indexOf("=") + 1) } : {});

async function measure(dir: string, role: string, env: Record<string, string>, tag: string): Promise<{ max: number; maxRate: number; paced: number }> {
  const db = await createDatabase("sqlite");
  const port = await freePort();
  const profile = args["prof-dir"] ? ["--cpu-prof", `--cpu-prof-dir=${args["prof-dir"]}/${tag}`] : [];
  const child = spawnTs(`${dir}/src/main.js`, { ...bridgeEnv(port, db.url, connectionString), BRIDGE_ROLE: role, ...env }, profile);
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(`${url}/healthz`, 20_000, child);
    await runLoad({ url, connections: Number(args.connections), durationS: 0, amount: 3000, runTag: `${tag}-warm` });
    const main = () => readThreadCpuMs(child.pid).mainLoops;
    let t0 = main();
    const max = await runLoad({ url, connections: Number(args.connections), durationS: 0, amount: Number(args.amount), runTag: `${tag}-max` });
    const maxMs = (main() - t0) / max.ok;
    t0 = main();
    const paced = await runPacedLoad({ url, rate: Number(args.rate), durationS: Number(args["paced-s"]), runTag: `${tag}-paced` });
    const pacedMs = (main() - t0) / paced.ok;
    if (max.non2xx + max.errors + paced.non2xx + paced.errors > 0) log(`${tag}: ${max.non2xx + paced.non2xx} non-2xx, ${max.errors + paced.errors} errors`);
    return { max: maxMs, maxRate: max.acceptedPerSec, paced: pacedMs };
  } finally {
    await child.stop(15_000);
    await db.remove();
  }
}

try {
const runs: Record<"A" | "B", Array<{ max: number; maxRate: number; paced: number }>> = { A: [], B: [] };
for (let round = 0; round < Number(args.rounds); round++) {
  for (const v of (round % 2 === 0 ? ["A", "B"] : ["B", "A"]) as Array<"A" | "B">) {
    const role = (v === "A" ? args["role-a"] : args["role-b"]) ?? String(args.role);
    const env = envOf(v === "A" ? args["env-a"] : args["env-b"]);
    const r = await measure(v === "A" ? args.a : args.b, role, env, `${v}${round}-${Date.now()}`);
    runs[v].push(r);
    log(`round ${round + 1} ${v}: max ${r.max.toFixed(3)} ms/accept at ${Math.round(r.maxRate)}/s; paced ${r.paced.toFixed(3)} ms/accept`);
  }
}
for (const v of ["A", "B"] as const) {
  const rs = runs[v];
  console.log(`${v}: main-thread ms/accept, max rate ${median(rs.map((r) => r.max)).toFixed(3)} (${Math.round(median(rs.map((r) => r.maxRate)))}/s), paced ${median(rs.map((r) => r.paced)).toFixed(3)}`);
}
} finally {
  await sink.stop();
}
