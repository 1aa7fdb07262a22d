import type { Backend } from "./bridge-child.js";
import type { BareFloor, ExpressFloor, SdkFloor } from "./floors.js";
import type { ThreadCpuMs } from "./proc-stats.js";
import type { BacklogDrainResult, FixedRateResult, MaxAcceptResult } from "./scenarios.js";

export interface BenchResults {
  date: string;
  commit: string;
  machine: string;
  command: string;
  settings: string;
  bare: BareFloor;
  express: ExpressFloor;
  sdk: SdkFloor;
  /** One column per configuration measured: a backend with a number of API processes or of whole bridges. */
  columns: BenchColumn[];
  /** Scenario 3: a backlog drained (SQLite), when it ran. */
  backlog?: BacklogDrainResult;
}

export interface BenchColumn {
  backend: Backend;
  apiProcesses: number;
  /** Whole bridges on one database (the scale-out); 1 for one bridge. */
  bridges: number;
  max: MaxAcceptResult;
  fixed: FixedRateResult;
}

export const columnName = (c: Pick<BenchColumn, "backend" | "apiProcesses" | "bridges">): string =>
  `${c.backend === "sqlite" ? "SQLite" : "PostgreSQL"}${c.apiProcesses > 1 ? `, ${c.apiProcesses} API processes` : ""}${c.bridges > 1 ? `, ${c.bridges} bridges` : ""}`;

const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
const ms = (n: number): string => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : Math.round(n)} ms` : "n/a");
const cpu = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)} ms` : "n/a");
const bucketBound = (n: number): string => (n === Infinity ? "> 10 s" : `≤ ${ms(n)}`);
const threadSplit = (t: ThreadCpuMs): string => [t.mainLoops, t.outboxThread, t.otherThreads].map((n) => n.toFixed(2)).join(" / ");
const mark = (ok: boolean): string => (ok ? "✅" : "❌");

/** Metrics as rows, configurations as columns (markdown; also what the console shows). */
export function formatTable(r: BenchResults): string {
  const cell = (f: (x: BenchColumn) => string) => r.columns.map(f);
  const rows: Array<[string, string[], string]> = [
    ["accepted/s at max rate", cell((x) => int(x.max.load.acceptedPerSec)), `Express ${int(r.express.acceptedPerSec)}, bare ${int(r.bare.acceptedPerSec)}`],
    ["accept p50 / p99 at max rate", cell((x) => `${ms(x.max.load.p50Ms)} / ${ms(x.max.load.p99Ms)}`), ""],
    ["delivered/s during max-rate load", cell((x) => int(x.max.deliveredDuringLoadPerSec)), ""],
    ["delivered/s draining after it (no accepts)", cell((x) => int(x.max.drainPerSec)), `SDK floor ${int(r.sdk.sendsPerSec)}`],
    ["bridge CPU per accept, all / accept only (est.)", cell((x) => `${cpu(x.max.cpuMsPerAccept)} / ${cpu(x.max.cpuMsPerAcceptOnly)}`), `bare ${cpu(r.bare.cpuMsPerRequest)}`],
    ["bridge CPU per delivery", cell((x) => cpu(x.max.cpuMsPerDelivery)), `SDK floor ${cpu(r.sdk.cpuMsPerSend)}`],
    ["accept p50 / p99 at 1,000/s", cell((x) => `${ms(x.fixed.load.p50Ms)} / ${ms(x.fixed.load.p99Ms)}`), `bare ${ms(r.bare.paced.p50Ms)} / ${ms(r.bare.paced.p99Ms)}, Express ${ms(r.express.paced.p50Ms)} / ${ms(r.express.paced.p99Ms)}`],
    ["… p99 inside the bridge (its own histogram's bucket)", cell((x) => bucketBound(x.fixed.serverP99UpperBoundMs)), "headers parsed → answer handed to the kernel"],
    ["accepted/s at 1,000/s", cell((x) => int(x.fixed.load.acceptedPerSec)), "1,000"],
    ["… connections the generator opened", cell((x) => int(x.fixed.load.connectionsOpened ?? NaN)), `bare ${int(r.bare.paced.connectionsOpened)}`],
    ["delivered/s at 1,000/s (offered)", cell((x) => `${int(x.fixed.deliveredPerSec)} (${int(x.fixed.offeredDeliveriesPerSec)})`), "= offered"],
    ["outbox pending start → end (max)", cell((x) => `${int(x.fixed.backlogStart)} → ${int(x.fixed.backlogEnd)} (${int(x.fixed.backlogMax)})`), "not growing"],
    ["oldest due at end / drained after load", cell((x) => `${x.fixed.oldestDueAgeEndS.toFixed(1)} s / ${x.fixed.drainAfterS === undefined ? "> 10 s" : `${x.fixed.drainAfterS.toFixed(1)} s`}`), ""],
    ["bridge CPU at 1,000/s (cores)", cell((x) => x.fixed.cpuCores.toFixed(2)), "of 2"],
    ["… per notification, load and drain after it (3 sends)", cell((x) => cpu(x.fixed.cpuMsPerNotification)), "accept + 3 sends"],
    ["… main loops / outbox thread / other threads", cell((x) => threadSplit(x.fixed.cpuCoresByThread)), "other: GC, libuv"],
    ["… main-thread CPU per accept at 1,000/s", cell((x) => cpu(x.fixed.mainLoopMsPerAccept)), `main thread: bare ${cpu(r.bare.paced.mainThreadMsPerRequest)}, Express ${cpu(r.express.paced.mainThreadMsPerRequest)}`],
    ["PostgreSQL server CPU at 1,000/s (cores)", cell((x) => (x.fixed.dbCpuCores === undefined ? "–" : x.fixed.dbCpuCores.toFixed(2))), "same 2 cores"],
    ["outbox keeps pace", cell((x) => (x.fixed.keepsPace ? "yes" : "no")), "yes"],
    ["peak RSS, all processes: max / 1,000/s runs", cell((x) => `${int(x.max.peakRssMb)} / ${int(x.fixed.peakRssMb)} MB`), `bare ${int(r.bare.peakRssMb)} MB`],
    ["non-2xx + errors (max / fixed)", cell((x) => `${x.max.load.non2xx + x.max.load.errors} / ${x.fixed.load.non2xx + x.fixed.load.errors}`), "0"],
  ];
  const names = r.columns.map(columnName);
  return [
    `| metric | ${names.join(" | ")} | target |`,
    `|---|${names.map(() => "--:").join("|")}|---|`,
    ...rows.map(([name, cells, target]) => `| ${name} | ${cells.join(" | ")} | ${target} |`),
  ].join("\n");
}

export function formatFloors(r: BenchResults): string {
  return [
    `- Floor (a), bare node:http answering 201 to the same body, same load: ${int(r.bare.acceptedPerSec)} req/s, p50 ${ms(r.bare.p50Ms)}, p99 ${ms(r.bare.p99Ms)}; CPU ${cpu(r.bare.cpuMsPerRequest)}/request; paced like scenario 2: p50 ${ms(r.bare.paced.p50Ms)}, p99 ${ms(r.bare.paced.p99Ms)}, CPU ${cpu(r.bare.paced.cpuMsPerRequest)}/request; peak RSS ${int(r.bare.peakRssMb)} MB.`,
    `- Floor (b), @azure/notification-hubs client alone sending the same native payloads to the same sink (${r.sdk.concurrency} in flight): ${int(r.sdk.sendsPerSec)} sends/s, CPU ${cpu(r.sdk.cpuMsPerSend)}/send (${r.sdk.failed} failed).`,
    `- Floor (c), Express 5 with \`express.json()\` and one route answering 201 (no helmet, validation or store), same load: ${int(r.express.acceptedPerSec)} req/s, CPU ${cpu(r.express.cpuMsPerRequest)}/request (${(r.express.acceptedPerSec / r.bare.acceptedPerSec).toFixed(2)} of bare node:http); paced like scenario 2: p50 ${ms(r.express.paced.p50Ms)}, p99 ${ms(r.express.paced.p99Ms)}, CPU ${cpu(r.express.paced.cpuMsPerRequest)}/request.`,
  ].join("\n");
}

/** One figure of issue 16's table: the bridge's, the floor it is held against (same run), the ratio, the target. */
export interface Ratio {
  figure: string;
  bridge: string;
  floor: string;
  ratio: string;
  target: string;
  /** undefined: not measured in this run (a backend left out). */
  ok: boolean | undefined;
}

const find = (r: BenchResults, backend: Backend, o: { apiProcesses?: number; bridges?: number } = {}) =>
  r.columns.find((c) => c.backend === backend && c.apiProcesses === (o.apiProcesses ?? 1) && c.bridges === (o.bridges ?? 1));

/** A ratio row: bridge / floor against a limit (at most or at least); no limit: shown, not judged. */
function ratio(figure: string, b: { value?: number; text: (n: number) => string }, f: { name: string; value?: number; text: (n: number) => string }, t: { atMost?: number; atLeast?: number; unit: "x" | "" }): Ratio {
  const x = b.value !== undefined && f.value !== undefined ? b.value / f.value : NaN;
  const judged = Number.isFinite(x) && (t.atMost !== undefined || t.atLeast !== undefined);
  return {
    figure,
    bridge: b.value === undefined ? "n/a" : b.text(b.value),
    floor: f.value === undefined ? "n/a" : `${f.name} ${f.text(f.value)}`,
    ratio: Number.isFinite(x) ? `${x.toFixed(2)}${t.unit}` : "n/a",
    target: t.atMost !== undefined ? `≤ ${t.atMost}${t.unit}` : t.atLeast !== undefined ? `≥ ${t.atLeast}${t.unit}` : "",
    ok: judged ? (t.atMost !== undefined ? x <= t.atMost : x >= t.atLeast!) : undefined,
  };
}

/** Issue 16's targets, each measured side by side in this run. */
export function computeRatios(r: BenchResults): Ratio[] {
  const sqlite = find(r, "sqlite");
  const pg = find(r, "postgres");
  const pg2 = r.columns.find((c) => c.backend === "postgres" && c.bridges > 1);
  const mb = (n: number) => `${int(n)} MB`;
  const perSec = (n: number) => `${int(n)}/s`;
  const rows: Ratio[] = [
    ratio("main-thread CPU per accept at 1,000/s (SQLite)", { value: sqlite?.fixed.mainLoopMsPerAccept, text: cpu },
      { name: "Express floor", value: r.express.paced.mainThreadMsPerRequest, text: cpu }, { atMost: 1.5, unit: "x" }),
    ratio("max accepted/s (SQLite)", { value: sqlite?.max.load.acceptedPerSec, text: perSec },
      { name: "Express floor", value: r.express.acceptedPerSec, text: perSec }, { atLeast: 0.6, unit: "" }),
    {
      figure: "CPU for one notification to 3 platforms at 1,000/s (accept + 3 sends, SQLite)",
      bridge: sqlite ? cpu(sqlite.fixed.cpuMsPerNotification) : "n/a", floor: "", ratio: "", target: "≤ 1.0 ms",
      ok: sqlite ? sqlite.fixed.cpuMsPerNotification <= 1.0 : undefined,
    },
    ratio("CPU per delivery (SQLite, draining)", { value: sqlite?.max.cpuMsPerDelivery, text: cpu },
      { name: "SDK alone", value: r.sdk.cpuMsPerSend, text: cpu }, { atMost: 1.0, unit: "x" }),
    ratio("PostgreSQL accept p99 at 1,000/s", { value: pg?.fixed.load.p99Ms, text: ms },
      { name: "SQLite same run", value: sqlite?.fixed.load.p99Ms, text: ms }, { atMost: 3, unit: "x" }),
    ratio("PostgreSQL max accepted/s", { value: pg?.max.load.acceptedPerSec, text: perSec },
      { name: "SQLite same run", value: sqlite?.max.load.acceptedPerSec, text: perSec }, { atLeast: 0.8, unit: "" }),
    ratio("peak RSS at 1,000/s (SQLite, all processes)", { value: sqlite?.fixed.peakRssMb, text: mb },
      { name: "bare node:http", value: r.bare.peakRssMb, text: mb }, { atMost: 1.6, unit: "x" }),
  ];
  if (r.backlog) {
    const b = r.backlog;
    rows.push(ratio(`RSS while a ${int(b.backlog)}-delivery backlog drains: peak of the 2nd half vs the 1st`, { value: b.secondHalfPeakMb, text: mb },
      { name: "1st half", value: b.firstHalfPeakMb, text: mb }, { atMost: 1.1, unit: "x" }));
  }
  if (pg2 && pg) {
    rows.push(ratio(`PostgreSQL, ${pg2.bridges} bridges on one database: max accepted/s (no target)`, { value: pg2.max.load.acceptedPerSec, text: perSec },
      { name: "1 bridge", value: pg.max.load.acceptedPerSec, text: perSec }, { unit: "" }));
    rows.push(ratio(`PostgreSQL, ${pg2.bridges} bridges on one database: accept p99 at 1,000/s (no target)`, { value: pg2.fixed.load.p99Ms, text: ms },
      { name: "1 bridge", value: pg.fixed.load.p99Ms, text: ms }, { unit: "x" }));
  }
  return rows;
}

/** The headline table: each target of issue 16 with its figures and ✅/❌. */
export function formatRatios(r: BenchResults): string {
  return [
    "| figure | bridge | floor (same run) | ratio | target | |",
    "|---|--:|--:|--:|--:|---|",
    ...computeRatios(r).map((x) => `| ${x.figure} | ${x.bridge} | ${x.floor} | ${x.ratio} | ${x.target} | ${x.ok === undefined ? "–" : mark(x.ok)} |`),
  ].join("\n");
}

export function formatBacklog(r: BenchResults): string {
  const b = r.backlog;
  if (!b) return "";
  return `- Scenario 3, backlog: ${int(b.backlog)} deliveries accepted by a BRIDGE_ROLE=api bridge, then drained by a whole bridge in ${b.drainedS.toFixed(1)} s (${int(b.deliveredPerSec)}/s); its RSS (all processes, every 250 ms, MB): ${b.rssSamplesMb.filter((_, i) => i % 4 === 0).map((n) => Math.round(n)).join(", ")}.`;
}

/** The generated section of docs/benchmarks.md. */
export function formatResultsSection(r: BenchResults): string {
  return [
    `Run ${r.date} on commit \`${r.commit}\`, ${r.machine}.`,
    "",
    "```sh",
    r.command,
    "```",
    "",
    r.settings,
    "",
    formatRatios(r),
    "",
    "All figures of the run:",
    "",
    formatTable(r),
    "",
    formatFloors(r),
    formatBacklog(r),
  ].join("\n");
}
