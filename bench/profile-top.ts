import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

/**
 * `npx tsx bench/profile-top.ts <file.cpuprofile> [--top=25] [--thread=main]`: the top self-time
 * entries of a V8 CPU profile (what `npm run bench -- --profile` writes), by function and by area
 * (a package of node_modules, a folder of src/, Node's own internals, GC, idle).
 */
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: "string", default: "25" } } });
if (positionals.length === 0) {
  console.log("usage: npx tsx bench/profile-top.ts <file.cpuprofile> [--top=N]");
  process.exit(0);
}

/** Where a frame's code lives, in a few words: a package, a src/ folder, node's internals. */
export function areaOf(url: string, name: string): string {
  if (name === "(garbage collector)") return "GC";
  if (name === "(idle)" || name === "(program)") return name;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const src = /\/(?:dist\/)?src\/(.+)\/[^/]+$/.exec(url);
  if (src) return `src/${src[1]}`;
  if (/\/(?:dist\/)?src\/[^/]+$/.test(url)) return "src";
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0] === "internal" ? url.slice(5).split("/")[1] : url.slice(5)}`;
  return url === "" ? "(native)" : url;
}

function short(url: string): string {
  return url.replace(/^file:\/\/.*?\/(node_modules|dist\/src|src)\//, "$1/");
}

for (const file of positionals) {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === "(idle)") continue;
    busy += us;
    const key = `${f.functionName || "(anonymous)"} ${short(f.url)}${f.url ? `:${f.lineNumber + 1}` : ""}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const area = areaOf(f.url, f.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1)} %`;
  console.log(`\n${file}: ${(busy / 1e6).toFixed(1)} s busy (idle left out)\n`);
  console.log("| self time | function |\n|--:|---|");
  for (const [k, us] of top(fns, Number(args.top))) console.log(`| ${pct(us)} | \`${k}\` |`);
  console.log("\n| self time | area |\n|--:|---|");
  for (const [k, us] of top(areas, 15)) console.log(`| ${pct(us)} | ${k} |`);
}
