import { execSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Backend } from "./lib/bridge-child.js";
import { REPO_ROOT, spawnTs } from "./lib/children.js";
import { writeResults } from "./lib/doc.js";
import { runBareFloor, runExpressFloor, runSdkFloor } from "./lib/floors.js";
import { startScriptNodeFlags } from "./lib/start-flags.js";
import { columnName, formatBacklog, formatFloors, formatRatios, formatResultsSection, formatTable, type BenchResults } from "./lib/report.js";
import { formatOutageBacklog, runOutageBacklog } from "./lib/outage-backlog.js";
import { runBacklogDrain, runFixedRate, runMaxAccept, type BenchContext } from "./lib/scenarios.js";

// `npm run bench -- --feed`: the feed's cost on accepts, FEED=off beside FEED=on (bench/feed-ab.ts), instead of the full run.
if (process.argv.includes("--feed")) {
  await import("./feed-ab.js");
  process.exit(0);
}

const USAGE = `npm run bench [-- options]: the bridge (a child process) under load over loopback against a
minimal NH sink, beside floors measured in the same run; prints issue 16's ratios with ✅/❌, then every figure.

  --write               also rewrite the generated section of docs/benchmarks.md
  --quick               shorter scenarios (about half the time; noisier)
  --backends=LIST       sqlite,postgres (default both)
  --api-processes=LIST  a column per API_PROCESSES value (default 1; e.g. 1,2)
  --scale-out=N         also N whole bridges on one PostgreSQL database (default 2; 0: off)
  --backlog=N           scenario 3: N requests (3N deliveries) queued, then drained (default 10000; 0: off)
  --outage-backlog=N    scenario 4: N requests accepted during an NH outage vs. with NH up, peak RSS of both
                        (off in a full run unless given; 50000 with --outage-only)
  --outage-only         run scenario 4 alone (no floors, no other scenarios), about 5 minutes
  --env KEY=VALUE       a bridge setting for every bridge started (repeatable)
  --connections=N       scenario 1's connections (default 50)
  --rate=N              scenario 2's requests per second (default 1000)
  --profile             V8 CPU profiles of every bridge into .tmp/bench-profiles/ (see bench/profile-top.ts)
  --entry=PATH          run the bridge from PATH (e.g. src/main.ts through tsx) instead of the build
  --split               BRIDGE_ROLE=api and BRIDGE_ROLE=worker processes instead of one bridge
  --feed                only the feed's cost: scenario 1 with FEED=off and FEED=on side by side (bench/feed-ab.ts)
  --help                this text

BENCH_PG_URL names the PostgreSQL server to create throwaway databases on
(default postgres://postgres@127.0.0.1:5432/test).`;

const { values: args } = parseArgs({
  options: {
    help: { type: "boolean", short: "h", default: false },
    write: { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    backends: { type: "string", default: "sqlite,postgres" },
    "api-processes": { type: "string", default: "1" },
    "scale-out": { type: "string", default: "2" },
    backlog: { type: "string", default: "10000" },
    "outage-backlog": { type: "string" },
    "outage-only": { type: "boolean", default: false },
    env: { type: "string", multiple: true, default: [] },
    connections: { type: "string", default: "50" },
    rate: { type: "string", default: "1000" },
    entry: { type: "string" },
    split: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const wholeNumber = (name: string, v: string, min: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: '${v}' is not a whole number ≥ ${min}`);
  return n;
};
const backends = args.backends.split(",").map((b) => b.trim()) as Backend[];
for (const b of backends) if (b !== "sqlite" && b !== "postgres") throw new Error(`unknown backend '${b}'`);
const apiProcessCounts = args["api-processes"].split(",").map((v) => wholeNumber("api-processes", v, 1));
const scaleOut = wholeNumber("scale-out", args["scale-out"], 0);
const backlogRequests = wholeNumber("backlog", args.backlog, 0);
const outageRequests = wholeNumber("outage-backlog", args["outage-backlog"] ?? (args["outage-only"] ? "50000" : "0"), 0);
const bridgeEnv = Object.fromEntries(args.env.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
const durations = args.quick ? { maxS: 5, fixedS: 6, warmS: 1 } : { maxS: 8, fixedS: 10, warmS: 2 };
const connections = wholeNumber("connections", args.connections, 1);
const fixedRate = wholeNumber("rate", args.rate, 1);
const cpuProfDir = args.profile ? join(REPO_ROOT, ".tmp", "bench-profiles") : undefined;
if (cpuProfDir) mkdirSync(cpuProfDir, { recursive: true });

const log = (s: string) => console.error(`[bench] ${s}`);
/** --outage-only: the one report, carried past the other scenarios. */
class OnlyScenario extends Error {}

// The bench measures what `npm start` runs: the compiled JavaScript (pass --entry src/main.ts for tsx).
const entry = args.entry ?? "dist/src/main.js";
if (!args.entry) execSync("npm run build", { cwd: REPO_ROOT, stdio: "ignore" });

const startedAt = performance.now();
const loadBefore = loadavg()[0];
const sink = spawnTs("bench/children/nh-sink.ts", {});
try {
  const sinkUrl = `http://127.0.0.1:${await sink.line("READY ", 20_000)}`;
  // The key is never checked by the sink; the SDK only needs a well-formed one to sign with.
  const sinkConnectionString = `Endpoint=${sinkUrl}/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=${Buffer.alloc(32, 7).toString("base64")}`;
  const ctx: BenchContext = { sinkUrl, sinkConnectionString, bridgeEnv, cpuProfDir, entry, split: args.split, durations, connections, fixedRate };
  const outageScenario = async (): Promise<string> => {
    log(`scenario 4: ${outageRequests} requests during an NH outage, and with NH up (SQLite)`);
    return formatOutageBacklog(await runOutageBacklog("sqlite", ctx, outageRequests));
  };
  if (args["outage-only"]) throw new OnlyScenario(await outageScenario());

  log(`floor (a): bare node:http, ${connections} connections, ${durations.maxS} s`);
  const bare = await runBareFloor({ connections, durationS: durations.maxS, warmS: durations.warmS, fixedRate, fixedS: durations.fixedS });
  log(`floor (c): bare Express, ${connections} connections, ${durations.maxS} s`);
  const expressFloor = await runExpressFloor({ connections, durationS: durations.maxS, warmS: durations.warmS, fixedRate, fixedS: durations.fixedS });
  log(`floor (b): SDK sender, 32 in flight, 5 s`);
  const sdk = await runSdkFloor({ connectionString: sinkConnectionString, durationS: 5, concurrency: 32 });

  const results: BenchResults = {
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    commit: execSync("git rev-parse --short HEAD", { cwd: REPO_ROOT, encoding: "utf8" }).trim(),
    machine: `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}; load generator, bridge, sink and PostgreSQL share those cores (1-min load average ${loadBefore.toFixed(1)} before the run, ${loadavg()[0].toFixed(1)} after the floors)`,
    command: `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim().replace(/ --$/, ""),
    settings: [
      `Scenario 1: autocannon, ${connections} connections, ${durations.maxS} s (after ${durations.warmS} s warm-up), the recorded raw body to windows/ios/android, a fresh X-UNS-ID per request.`,
      `Scenario 2: the same body at a steady ${fixedRate.toLocaleString("en-US")} requests/s for ${durations.fixedS} s (${(3 * fixedRate).toLocaleString("en-US")} deliveries/s offered), paced open-loop (request i sent at i/rate over keep-alive connections, latency counted from then, bench/lib/paced-load.ts); outbox sampled from GET /metrics every second.`,
      `Each scenario gets a fresh bridge process (\`${entry.endsWith(".js") ? ["node", ...startScriptNodeFlags(entry), entry].join(" ") : `node --import tsx ${entry}`}\`, LOG_LEVEL=warn, RATE_LIMIT_PER_MINUTE=0, AUTH_MODE=none) and a fresh database (SQLite temp file / a new PostgreSQL database, dropped after); NH is a minimal sink (node:http answering 201 with Location/TrackingId, checking nothing).`,
      `Scenario 3 (backlog): ${backlogRequests.toLocaleString("en-US")} requests accepted by a BRIDGE_ROLE=api bridge on a fresh SQLite file (it never sends), then a whole bridge started on that file drains the ${(3 * backlogRequests).toLocaleString("en-US")} deliveries; its RSS is sampled every 250 ms.`,
      args.split ? "Split: two bridge processes on one database, BRIDGE_ROLE=api (takes the load) and BRIDGE_ROLE=worker (delivers); CPU is summed over both, peak RSS is the larger of the two." : `One bridge (BRIDGE_ROLE=all) per column: API_PROCESSES=${apiProcessCounts.join(" and ")}${scaleOut > 1 ? `, and ${scaleOut} whole bridges on one PostgreSQL database, each on its own port (the load shared out between them, CPU and RSS summed)` : ""}. With more than one API process, the bridge is a primary (outbox thread, store) and that many API processes sharing the port; CPU and peak RSS cover all of them (RSS: the highest sum of the processes' VmRSS, sampled every 250 ms).`,
      `Bridge env overrides: ${Object.keys(bridgeEnv).length ? Object.entries(bridgeEnv).map(([k, v]) => `${k}=${v}`).join(", ") : "none (defaults)"}.`,
    ].join("\n"),
    bare,
    express: expressFloor,
    sdk,
    columns: [],
  };

  const plan = backends.flatMap((backend) => [
    ...apiProcessCounts.map((apiProcesses) => ({ backend, apiProcesses, bridges: 1 })),
    ...(backend === "postgres" && scaleOut > 1 && !args.split ? [{ backend, apiProcesses: 1, bridges: scaleOut }] : []),
  ]);
  for (const { backend, apiProcesses, bridges } of plan) {
    const name = columnName({ backend, apiProcesses, bridges });
    const variant: BenchContext = { ...ctx, bridges, bridgeEnv: { API_PROCESSES: String(apiProcesses), ...bridgeEnv } };
    log(`${name}: scenario 1, max accept rate`);
    const max = await runMaxAccept(backend, variant);
    log(`${name}: scenario 2, ${fixedRate}/s`);
    const fixed = await runFixedRate(backend, variant);
    results.columns.push({ backend, apiProcesses, bridges, max, fixed });
    log(`${name}: pending samples ${fixed.samples.map((s) => s.pending).join(" ")}`);
  }
  if (backlogRequests > 0 && backends.includes("sqlite")) {
    log(`scenario 3: a backlog of ${backlogRequests * 3} deliveries drained (SQLite)`);
    results.backlog = await runBacklogDrain("sqlite", ctx, backlogRequests);
  }
  const outageReport = outageRequests > 0 && backends.includes("sqlite") ? await outageScenario() : "";

  console.log(`\n${formatRatios(results)}\n\n${formatTable(results)}\n\n${formatFloors(results)}\n${formatBacklog(results)}\n${outageReport}\n`);
  log(`took ${Math.round((performance.now() - startedAt) / 1000)} s`);
  if (args.write) {
    writeResults(join(REPO_ROOT, "docs", "benchmarks.md"), formatResultsSection(results));
    log("wrote docs/benchmarks.md");
  }
} catch (e) {
  if (!(e instanceof OnlyScenario)) throw e;
  console.log(`\n${e.message}\n`);
  log(`took ${Math.round((performance.now() - startedAt) / 1000)} s`);
} finally {
  await sink.stop();
}
