import type { Backend } from "./bridge-child.js";
import type { BareFloor, ExpressFloor, SdkFloor } from "./floors.js";
import type { ThreadCpuMs } from "./proc-stats.js";
import type { FixedRateResult, MaxAcceptResult } from "./scenarios.js";

export interface BenchResults {
  date: string;
  commit: string;
  machine: string;
  command: string;
  settings: string;
  bare: BareFloor;
  express: ExpressFloor;
  sdk: SdkFloor;
  /** One column per configuration measured: a backend with a number of API processes. */
  columns: BenchColumn[];
}

export interface BenchColumn {
  backend: Backend;
  apiProcesses: number;
  max: MaxAcceptResult;
  fixed: FixedRateResult;
}

export const columnName = (c: Pick<BenchColumn, "backend" | "apiProcesses">): string =>
  `${c.backend === "sqlite" ? "SQLite" : "PostgreSQL"}${c.apiProcesses > 1 ? `, ${c.apiProcesses} API processes` : ""}`;

export const TARGETS = { acceptedPerSec: 3000, ofBare: 0.5, p99AtFixedMs: 20, peakRssMb: 150 };

const int = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
const ms = (n: number): string => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : Math.round(n)} ms` : "n/a");
const cpu = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)} ms` : "n/a");
const bucketBound = (n: number): string => (n === Infinity ? "> 10 s" : `≤ ${ms(n)}`);
const threadSplit = (t: ThreadCpuMs): string => [t.mainLoops, t.outboxThread, t.otherThreads].map((n) => n.toFixed(2)).join(" / ");
const mark = (ok: boolean): string => (ok ? "✅" : "❌");

export function checkTargets(r: BenchResults, x: BenchColumn): Array<{ name: string; ok: boolean }> {
  return [
    { name: `≥ ${int(TARGETS.acceptedPerSec)} accepted/s`, ok: x.max.load.acceptedPerSec >= TARGETS.acceptedPerSec },
    { name: `≥ ${TARGETS.ofBare} of bare node:http`, ok: x.max.load.acceptedPerSec / r.bare.acceptedPerSec >= TARGETS.ofBare },
    { name: "outbox keeps pace at 1,000/s × 3 platforms", ok: x.fixed.keepsPace },
    { name: `p99 accept < ${TARGETS.p99AtFixedMs} ms at 1,000/s`, ok: x.fixed.load.p99Ms < TARGETS.p99AtFixedMs },
    { name: `peak RSS < ${TARGETS.peakRssMb} MB`, ok: Math.max(x.max.peakRssMb, x.fixed.peakRssMb) < TARGETS.peakRssMb },
  ];
}

/** Metrics as rows, configurations as columns (markdown; also what the console shows). */
export function formatTable(r: BenchResults): string {
  const cell = (f: (x: BenchColumn) => string) => r.columns.map(f);
  const rows: Array<[string, string[], string]> = [
    ["accepted/s at max rate", cell((x) => int(x.max.load.acceptedPerSec)), `≥ ${int(TARGETS.acceptedPerSec)}`],
    [`… share of bare node:http (${int(r.bare.acceptedPerSec)}/s)`, cell((x) => (x.max.load.acceptedPerSec / r.bare.acceptedPerSec).toFixed(2)), `≥ ${TARGETS.ofBare}`],
    ["accept p50 / p99 at max rate", cell((x) => `${ms(x.max.load.p50Ms)} / ${ms(x.max.load.p99Ms)}`), ""],
    ["delivered/s during max-rate load", cell((x) => int(x.max.deliveredDuringLoadPerSec)), ""],
    ["delivered/s draining after it (no accepts)", cell((x) => int(x.max.drainPerSec)), `SDK floor ${int(r.sdk.sendsPerSec)}`],
    ["bridge CPU per accept, all / accept only (est.)", cell((x) => `${cpu(x.max.cpuMsPerAccept)} / ${cpu(x.max.cpuMsPerAcceptOnly)}`), `bare ${cpu(r.bare.cpuMsPerRequest)}`],
    ["bridge CPU per delivery", cell((x) => cpu(x.max.cpuMsPerDelivery)), `SDK floor ${cpu(r.sdk.cpuMsPerSend)}`],
    ["accept p50 / p99 at 1,000/s", cell((x) => `${ms(x.fixed.load.p50Ms)} / ${ms(x.fixed.load.p99Ms)}`), `p99 < ${TARGETS.p99AtFixedMs} ms (bare ${ms(r.bare.paced.p50Ms)} / ${ms(r.bare.paced.p99Ms)})`],
    ["… p99 inside the bridge (its own histogram's bucket)", cell((x) => bucketBound(x.fixed.serverP99UpperBoundMs)), "headers parsed → answer handed to the kernel"],
    ["accepted/s at 1,000/s", cell((x) => int(x.fixed.load.acceptedPerSec)), "1,000"],
    ["… connections the generator opened", cell((x) => int(x.fixed.load.connectionsOpened ?? NaN)), `bare ${int(r.bare.paced.connectionsOpened)}`],
    ["delivered/s at 1,000/s (offered)", cell((x) => `${int(x.fixed.deliveredPerSec)} (${int(x.fixed.offeredDeliveriesPerSec)})`), "= offered"],
    ["outbox pending start → end (max)", cell((x) => `${int(x.fixed.backlogStart)} → ${int(x.fixed.backlogEnd)} (${int(x.fixed.backlogMax)})`), "not growing"],
    ["oldest due at end / drained after load", cell((x) => `${x.fixed.oldestDueAgeEndS.toFixed(1)} s / ${x.fixed.drainAfterS === undefined ? "> 10 s" : `${x.fixed.drainAfterS.toFixed(1)} s`}`), ""],
    ["bridge CPU at 1,000/s (cores)", cell((x) => x.fixed.cpuCores.toFixed(2)), "of 2"],
    ["… main loops / outbox thread / other threads", cell((x) => threadSplit(x.fixed.cpuCoresByThread)), "other: GC, libuv"],
    ["… main-thread CPU per accept at 1,000/s", cell((x) => cpu(x.fixed.mainLoopMsPerAccept)), `main thread: bare ${cpu(r.bare.paced.mainThreadMsPerRequest)}, Express ${cpu(r.express.paced.mainThreadMsPerRequest)}`],
    ["PostgreSQL server CPU at 1,000/s (cores)", cell((x) => (x.fixed.dbCpuCores === undefined ? "–" : x.fixed.dbCpuCores.toFixed(2))), "same 2 cores"],
    ["outbox keeps pace", cell((x) => (x.fixed.keepsPace ? "yes" : "no")), "yes"],
    ["peak RSS, all processes: max / 1,000/s runs", cell((x) => `${int(x.max.peakRssMb)} / ${int(x.fixed.peakRssMb)} MB`), `< ${TARGETS.peakRssMb} MB`],
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

export function formatTargets(r: BenchResults): string {
  return r.columns.map((c) => `- ${columnName(c)}: ${checkTargets(r, c).map((t) => `${mark(t.ok)} ${t.name}`).join("; ")}`).join("\n");
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
    formatTable(r),
    "",
    formatFloors(r),
    "",
    "Targets:",
    "",
    formatTargets(r),
  ].join("\n");
}
