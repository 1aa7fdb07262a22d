import { execSync } from "node:child_process";
import { parseArgs } from "node:util";
import type { Backend } from "./lib/bridge-child.js";
import { REPO_ROOT, spawnTs } from "./lib/children.js";
import { runMaxAccept, type BenchContext } from "./lib/scenarios.js";

/**
 * `npm run bench -- --feed [--backends=sqlite,postgres] [--rounds=N] [--quick]`: what the feed
 * costs accepts. Scenario 1 (max accept rate) with FEED=off and FEED=on side by side, alternating
 * the order each round so the machine's drift falls on both; the median of each and their ratio
 * (issue 14: with the feed within 10 % of without).
 */
const { values: args } = parseArgs({
  options: {
    feed: { type: "boolean", default: true },
    backends: { type: "string", default: "sqlite,postgres" },
    rounds: { type: "string", default: "3" },
    quick: { type: "boolean", default: false },
    connections: { type: "string", default: "50" },
  },
  strict: false,
});
const backends = String(args.backends).split(",").map((b) => b.trim()) as Backend[];
const rounds = Number(args.rounds);
const log = (s: string) => console.error(`[bench feed] ${s}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

execSync("npm run build", { cwd: REPO_ROOT, stdio: "ignore" });
const sink = spawnTs("bench/children/nh-sink.ts", {});
try {
  const sinkUrl = `http://127.0.0.1:${await sink.line("READY ", 20_000)}`;
  const sinkConnectionString = `Endpoint=${sinkUrl}/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=${Buffer.alloc(32, 7).toString("base64")}`;
  const durations = args.quick ? { maxS: 5, fixedS: 6, warmS: 1 } : { maxS: 10, fixedS: 12, warmS: 2 };
  const ctx: BenchContext = { sinkUrl, sinkConnectionString, bridgeEnv: {}, entry: "dist/src/main.js", durations, connections: Number(args.connections), fixedRate: 1000 };
  const lines = ["| backend | FEED=off accepts/s | FEED=on accepts/s | on / off | CPU ms per accept off → on | within 10 % |", "|---|---:|---:|---:|---:|:---:|"];
  for (const backend of backends) {
    const runs: Record<"off" | "on", Array<{ rate: number; cpu: number }>> = { off: [], on: [] };
    for (let round = 0; round < rounds; round++) {
      for (const feed of (round % 2 === 0 ? ["off", "on"] : ["on", "off"]) as Array<"off" | "on">) {
        const r = await runMaxAccept(backend, { ...ctx, bridgeEnv: { FEED: feed } });
        runs[feed].push({ rate: r.load.acceptedPerSec, cpu: r.cpuMsPerAcceptOnly });
        log(`${backend} round ${round + 1} FEED=${feed}: ${Math.round(r.load.acceptedPerSec)} accepts/s, ${r.cpuMsPerAcceptOnly.toFixed(3)} CPU ms per accept`);
      }
    }
    const off = median(runs.off.map((x) => x.rate));
    const on = median(runs.on.map((x) => x.rate));
    const cpu = (k: "off" | "on") => median(runs[k].map((x) => x.cpu)).toFixed(3);
    lines.push(`| ${backend} | ${Math.round(off)} | ${Math.round(on)} | ${(on / off).toFixed(2)} | ${cpu("off")} → ${cpu("on")} | ${on / off >= 0.9 ? "✅" : "❌"} |`);
  }
  console.log(`\nFeed cost on accepts (scenario 1, ${ctx.connections} connections, ${durations.maxS} s, median of ${rounds} alternating runs each):\n\n${lines.join("\n")}\n`);
} finally {
  await sink.stop();
}
