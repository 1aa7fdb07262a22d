import { Agent, request } from "node:http";
import { build } from "hdr-histogram-js";
import { RECORDED_RAW_JSON, unsIdFor } from "./legacy-request.js";
import type { LoadResult } from "./load.js";

/**
 * An open-loop load at a steady rate: request i is due at start + i/rate, sent then whatever
 * happened to earlier ones, and its latency counts from when it was due (no coordinated omission).
 * autocannon's overallRate instead lets every connection fire its share as fast as it can at the
 * top of each second: a burst at full speed, then silence, whose queueing shows up as latency
 * even on a bare server. This measures what a steady 1,000/s costs.
 */
export async function runPacedLoad(o: { url: string | string[]; rate: number; durationS: number; runTag: string; maxInFlight?: number }): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.maxInFlight ?? 256 });
  // Several bridges (one database): request i goes to bridge i mod n.
  const targets = (Array.isArray(o.url) ? o.url : [o.url]).map((u) => new URL(`${u}/beta/me/notifications`));
  const body = Buffer.from(RECORDED_RAW_JSON);
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 }); // µs
  const total = Math.round(o.rate * o.durationS);
  let sent = 0, ok = 0, non2xx = 0, errors = 0, settled = 0, connectionsOpened = 0;
  // The agent opens a connection whenever all of its open ones are busy, and a request waits for
  // that one: on a busy server, whose loop accepts one new connection per turn, that wait is part
  // of the latency a caller sees.
  const seen = new WeakSet<object>();
  const started = performance.now();

  const fire = (i: number, dueAt: number) => {
    const target = targets[i % targets.length];
    const req = request(
      { agent, host: target.hostname, port: target.port, path: target.pathname, method: "POST",
        headers: { "content-type": "application/json", "content-length": body.length, "x-uns-id": unsIdFor(o.runTag, i) } },
      (res) => {
        res.resume();
        res.on("end", () => {
          histogram.recordValue(Math.max(1, Math.round((performance.now() - dueAt) * 1000)));
          if (res.statusCode! >= 200 && res.statusCode! < 300) ok++;
          else non2xx++;
          settled++;
        });
      },
    );
    req.on("socket", (socket) => {
      if (!seen.has(socket)) {
        seen.add(socket);
        connectionsOpened++;
      }
    });
    req.on("error", () => { errors++; settled++; });
    req.end(body);
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsedMs = performance.now() - started;
      const due = Math.min(total, Math.floor((elapsedMs / 1000) * o.rate) + 1);
      while (sent < due) {
        fire(sent, started + (sent / o.rate) * 1000);
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const deadline = performance.now() + 30_000;
  while (settled < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const ms = (p: number) => histogram.getValueAtPercentile(p) / 1000;
  return {
    acceptedPerSec: ok / o.durationS,
    ok, non2xx, errors: errors + (total - settled),
    p50Ms: ms(50), p99Ms: ms(99), maxMs: histogram.maxValue / 1000,
    seconds: Math.max(seconds, o.durationS),
    connectionsOpened,
  };
}
