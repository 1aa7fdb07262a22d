/**
 * Just enough PromQL to evaluate the alert rules of docs/operations.md against two scrapes of a real
 * bridge (`before` and `after`): rate() and increase() are taken over the time between them.
 * Supported: sum(rate|increase(M{sel}[w])), increase(M{sel}[w]), max(M{sel}),
 * histogram_quantile(q, sum by (le) (rate(M_bucket{sel}[w]))), one `/` between two of those, `> N`.
 */
export type Series = Array<{ name: string; labels: Record<string, string>; value: number }>;

export function parseExposition(text: string): Series {
  const out: Series = [];
  for (const line of text.split("\n")) {
    const m = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? (\S+)$/i.exec(line);
    if (!m) continue;
    const labels = Object.fromEntries([...(m[2] ?? "").matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

type Matcher = (labels: Record<string, string>) => boolean;

function selector(sel: string | undefined): Matcher {
  const tests = [...(sel ?? "").matchAll(/([a-z_]+)(=~|=)"([^"]*)"/g)].map(([, k, op, v]) =>
    op === "=" ? (l: Record<string, string>) => l[k] === v : (l: Record<string, string>) => new RegExp(`^(?:${v})$`).test(l[k] ?? ""));
  return (l) => tests.every((t) => t(l));
}

const select = (s: Series, name: string, sel?: string) => s.filter((x) => x.name === name && selector(sel)(x.labels));
const total = (s: Series) => s.reduce((a, x) => a + x.value, 0);

export interface Scrapes {
  before: Series;
  after: Series;
  seconds: number;
}

function increaseOf(sc: Scrapes, name: string, sel?: string): number {
  return total(select(sc.after, name, sel)) - total(select(sc.before, name, sel));
}

/** Prometheus's histogram_quantile over bucket increases (linear within the bucket). */
function quantile(q: number, sc: Scrapes, name: string, sel?: string): number {
  const byLe = new Map<number, number>();
  for (const s of [...select(sc.after, name, sel)]) {
    const le = s.labels.le === "+Inf" ? Infinity : Number(s.labels.le);
    const before = total(sc.before.filter((b) => b.name === name && b.labels.le === s.labels.le && selector(sel)(b.labels)));
    byLe.set(le, (byLe.get(le) ?? 0) + s.value - before);
  }
  const buckets = [...byLe].sort((a, b) => a[0] - b[0]);
  const count = buckets.at(-1)?.[1] ?? 0;
  if (count === 0) return NaN;
  const rank = q * count;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, c] of buckets) {
    if (c >= rank) return le === Infinity ? prevLe : prevLe + ((le - prevLe) * (rank - prevCount)) / (c - prevCount || 1);
    prevLe = le;
    prevCount = c;
  }
  return prevLe;
}

function term(expr: string, sc: Scrapes): number {
  const e = expr.trim();
  let m = /^histogram_quantile\(([\d.]+), sum by \(le\) \(rate\(([a-z_]+)(?:\{(.*)\})?\[\w+\]\)\)\)$/.exec(e);
  if (m) return quantile(Number(m[1]), sc, m[2], m[3]);
  m = /^(sum\()?(rate|increase)\(([a-z_]+)(?:\{(.*)\})?\[\w+\]\)\)?$/.exec(e);
  if (m) return increaseOf(sc, m[3], m[4]) / (m[2] === "rate" ? sc.seconds : 1);
  m = /^max\(([a-z_]+)(?:\{(.*)\})?\)$/.exec(e);
  if (m) return Math.max(...select(sc.after, m[1], m[2]).map((s) => s.value), -Infinity);
  throw new Error(`unsupported expression: ${e}`);
}

/** Whether the rule's expression holds (the alert would fire, `for` aside). */
export function fires(expression: string, sc: Scrapes): boolean {
  const [lhs, threshold] = expression.split(/ > (?=[\d.]+$)/);
  if (threshold === undefined) throw new Error(`no '> N' in ${expression}`);
  const parts = lhs.split(/ \/ (?=sum\()/);
  const value = parts.length === 2 ? term(parts[0], sc) / term(parts[1], sc) : term(lhs, sc);
  return value > Number(threshold); // NaN (no traffic) never fires, as in Prometheus
}

/** The alert table of docs/operations.md: name → PromQL (rows whose expression is not PromQL left out). */
export function documentedAlerts(doc: string): Map<string, string> {
  const section = doc.slice(doc.indexOf("## Alerts"), doc.indexOf("## Runbooks"));
  const rows = new Map<string, string>();
  for (const m of section.matchAll(/^\| ([^|`]+?) \| `((?:[^`])+)` \|/gm)) rows.set(m[1].trim(), m[2].replace(/\\\|/g, "|"));
  return rows;
}
