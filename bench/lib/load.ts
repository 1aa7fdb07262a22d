import autocannon from "autocannon";
import { RECORDED_RAW_JSON, unsIdFor } from "./legacy-request.js";

export interface LoadResult {
  /** 2xx answers per second over the run. */
  acceptedPerSec: number;
  ok: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  seconds: number;
  /** TCP connections the load generator opened (paced load only): a busy server takes new ones slowly. */
  connectionsOpened?: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  durationS: number;
  /** Requests per second across all connections; omit for as fast as possible. */
  overallRate?: number;
  /** Distinguishes X-UNS-IDs between runs. */
  runTag: string;
  /** Stop after this many requests instead of after durationS. */
  amount?: number;
}

/** POSTs the recorded raw body to /beta/me/notifications, a fresh X-UNS-ID per request. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  let n = 0;
  const result = await autocannon({
    url: `${o.url}/beta/me/notifications`,
    connections: o.connections,
    ...(o.amount === undefined ? { duration: o.durationS } : { amount: o.amount }),
    overallRate: o.overallRate,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: RECORDED_RAW_JSON,
    requests: [
      {
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, "x-uns-id": unsIdFor(o.runTag, n++) } }),
      },
    ],
  });
  return {
    acceptedPerSec: result["2xx"] / result.duration,
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    seconds: result.duration,
  };
}

/** The same load on several bridges at once (the connections shared out): the results summed, latencies the worst of them. */
export async function runLoadOnAll(urls: string[], o: Omit<LoadOptions, "url">): Promise<LoadResult> {
  if (urls.length === 1) return runLoad({ ...o, url: urls[0] });
  const each = await Promise.all(urls.map((url, i) => runLoad({ ...o, url, runTag: `${o.runTag}-${i}`, connections: Math.ceil(o.connections / urls.length) })));
  const sum = (k: "acceptedPerSec" | "ok" | "non2xx" | "errors") => each.reduce((t, r) => t + r[k], 0);
  const max = (k: "p50Ms" | "p99Ms" | "maxMs" | "seconds") => Math.max(...each.map((r) => r[k]));
  return { acceptedPerSec: sum("acceptedPerSec"), ok: sum("ok"), non2xx: sum("non2xx"), errors: sum("errors"), p50Ms: max("p50Ms"), p99Ms: max("p99Ms"), maxMs: max("maxMs"), seconds: max("seconds") };
}
