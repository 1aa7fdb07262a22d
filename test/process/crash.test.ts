import { afterEach, describe, expect, it } from "vitest";
import { baseBridgeEnv, makeSqliteUrl, spawnBridge, type BridgeProcess } from "./bridge-process.js";
import { startDeviceHub, type DeviceHub } from "./device-hub.js";
import { acceptedIds, runLoad } from "./legacy-load.js";
import { restartAndExpectEveryAcceptedDelivered } from "./verify-restart.js";

const PLANNED = 200;
const KILL_AFTER_ACCEPTED = 100;

let hub: DeviceHub | undefined;
const bridges: BridgeProcess[] = [];
afterEach(async () => {
  await Promise.all(bridges.splice(0).map((b) => b.kill()));
  await hub?.close();
});

describe("issue 4: SIGKILL mid-load, restart on the same SQLite file", () => {
  it("delivers every 201'd notification to every targeted device at least once", { timeout: 60_000 }, async () => {
    hub = await startDeviceHub();
    const devices = await hub.register("crash-user");
    // Slow NH down so the outbox is still full of claimed and unclaimed deliveries at the kill.
    await hub.setFaults({ latencyMs: 250 });
    const env = { ...baseBridgeEnv(hub.connectionString, makeSqliteUrl()), OUTBOX_LEASE_MS: "2000", NH_TIMEOUT_MS: "500", OUTBOX_BATCH_SIZE: "16", OUTBOX_CONCURRENCY: "8", OUTBOX_BASE_BACKOFF_MS: "50", OUTBOX_MAX_BACKOFF_MS: "500" };
    const first = await spawnBridge(env);
    bridges.push(first);

    let killedAt: number | undefined;
    const results = await runLoad({
      urlFor: () => first.url, unsIdFor: () => "crash-user", total: PLANNED, concurrency: 20, tag: "crash",
      onResult: (_r, counts) => {
        if (counts.accepted >= KILL_AFTER_ACCEPTED && killedAt === undefined) {
          killedAt = Date.now();
          first.child.kill("SIGKILL");
        }
      },
    });
    const exit = await first.exited;
    expect(exit.signal).toBe("SIGKILL");
    const accepted = acceptedIds(results);
    const failed = results.filter((r) => r.kind === "connection-error").length;
    expect(results.filter((r) => r.kind === "broken" || r.kind === "answered")).toEqual([]);
    expect(accepted.length).toBeGreaterThanOrEqual(KILL_AFTER_ACCEPTED);
    const sentBeforeKill = hub.emulator.emulator.view.listDeliveries({}).length;
    expect(sentBeforeKill).toBeLessThan(accepted.length * devices.length); // the kill really left work behind

    const { drainMs, tally } = await restartAndExpectEveryAcceptedDelivered({ hub, env, results, track: (b) => bridges.push(b) });

    const total = hub.emulator.emulator.view.listDeliveries({}).length;
    console.log(
      `[crash] planned=${PLANNED} accepted(201)=${accepted.length} killed-in-flight=${failed} not-attempted=${PLANNED - results.length} ` +
        `device-deliveries before kill=${sentBeforeKill} after restart=${total - sentBeforeKill} (drained in ${drainMs} ms) ` +
        `duplicates=${tally.duplicates} committed-but-unanswered=${tally.unanswered}`,
    );
  });
});
