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
}

/** POSTs the recorded raw body to /beta/me/notifications, a fresh X-UNS-ID per request. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  let n = 0;
  const result = await autocannon({
    url: `${o.url}/beta/me/notifications`,
    connections: o.connections,
    duration: o.durationS,
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
