import { afterEach, describe, expect, it } from "vitest";
import { baseBridgeEnv, makeSqliteUrl, spawnBridge, type BridgeProcess } from "./bridge-process.js";
import { startDeviceHub, type DeviceHub } from "./device-hub.js";
import { acceptedIds, runLoad } from "./legacy-load.js";
import { restartAndExpectEveryAcceptedDelivered } from "./verify-restart.js";
import { watchReadiness } from "./readiness-probe.js";

const SHUTDOWN_TIMEOUT_MS = 5000;
const SIGTERM_AFTER_ACCEPTED = 60;

let hub: DeviceHub | undefined;
const bridges: BridgeProcess[] = [];
afterEach(async () => {
  await Promise.all(bridges.splice(0).map((b) => b.kill()));
  await hub?.close();
});

describe("issue 6: SIGTERM during load", () => {
  it("answers every request completely, exits 0 within SHUTDOWN_TIMEOUT_MS and loses nothing accepted", { timeout: 60_000 }, async () => {
    hub = await startDeviceHub();
    await hub.register("drain-user");
    // NH latency keeps sends in flight when the signal comes, so the worker drain is exercised.
    await hub.setFaults({ latencyMs: 200 });
    const env = { ...baseBridgeEnv(hub.connectionString, makeSqliteUrl()), SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS), OUTBOX_CONCURRENCY: "8", OUTBOX_BATCH_SIZE: "16" };
    const first = await spawnBridge(env);
    bridges.push(first);
    const readiness = watchReadiness(first.url);

    let signalledAt: number | undefined;
    const results = await runLoad({
      urlFor: () => first.url, unsIdFor: () => "drain-user", total: 2000, concurrency: 16, tag: "drain",
      onResult: (_r, counts) => {
        if (counts.accepted >= SIGTERM_AFTER_ACCEPTED && signalledAt === undefined) {
          signalledAt = Date.now();
          first.child.kill("SIGTERM");
        }
      },
    });
    const exit = await first.exited;
    const exitMs = Date.now() - signalledAt!;
    const readinessSeen = await readiness.stop();

    // On failure, show the lifecycle lines ('shutting down', 'shutdown timed out', ...), not the request flood.
    const lifecycle = first.lines().filter((l) => l.msg !== "request" && l.msg !== "delivery attempt" && l.msg !== "bridge listening");
    expect({ exit, lifecycle: exit.code === 0 ? [] : lifecycle }).toEqual({ exit: { code: 0, signal: null }, lifecycle: [] });
    expect(exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    const lines = first.lines();
    expect(lines.some((l) => l.msg === "shutdown complete")).toBe(true);
    // The only error lines allowed are the request lines of /readyz answering 503 while draining.
    expect(lines.filter((l) => l.level === "error" && !(l.msg === "request" && l.route === "/readyz" && l.status === 503))).toEqual([]);
    // Every answer that arrived is whole: a 201 with an id. Anything else was a clean connection error.
    expect(results.filter((r) => r.kind !== "accepted" && r.kind !== "connection-error")).toEqual([]);
    const accepted = acceptedIds(results);
    expect(accepted.length).toBeGreaterThanOrEqual(SIGTERM_AFTER_ACCEPTED);
    const sentBeforeRestart = hub.emulator.emulator.view.listDeliveries({}).length;

    const { drainMs, tally } = await restartAndExpectEveryAcceptedDelivered({ hub, env, results, track: (b) => bridges.push(b) });
    // A graceful stop finishes or releases every claim it holds, so nothing is sent twice.
    expect(tally.duplicates).toBe(0);
    // Connections are only cut when idle, so a request that saw a connection error was never stored:
    // the caller can safely send it again.
    expect(tally.unanswered).toBe(0);

    const connectionErrors = results.flatMap((r) => (r.kind === "connection-error" ? [r.code] : []));
    console.log(
      `[graceful] accepted(201)=${accepted.length} connection-errors=${connectionErrors.length} (${[...new Set(connectionErrors)].join(",")}) ` +
        `SIGTERM→exit=${exitMs} ms (limit ${SHUTDOWN_TIMEOUT_MS}) device-deliveries before restart=${sentBeforeRestart} after=${hub.emulator.emulator.view.listDeliveries({}).length - sentBeforeRestart} ` +
        `(drained in ${drainMs} ms) duplicates=${tally.duplicates} unanswered-but-stored=${tally.unanswered} readyz during drain=${readinessSeen.join(",") || "not observed"}`,
    );
  });
});
