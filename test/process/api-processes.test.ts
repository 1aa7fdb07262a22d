import { setTimeout as delay } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { baseBridgeEnv, makeSqliteUrl, spawnBridge, type BridgeProcess } from "./bridge-process.js";
import { expectedDevices, startDeviceHub, tallyDeliveries, type DeviceHub } from "./device-hub.js";
import { acceptedIds, acceptedTargets, runLoad } from "./legacy-load.js";
import { listAllDeliveries, waitForOutboxDrained } from "./outbox-view.js";
import { restartAndExpectEveryAcceptedDelivered } from "./verify-restart.js";
import { until } from "../support/until.js";

let hub: DeviceHub | undefined;
const bridges: BridgeProcess[] = [];
afterEach(async () => {
  await Promise.all(bridges.splice(0).map((b) => b.kill()));
  await hub?.close();
  hub = undefined;
});

async function startCluster(env: Record<string, string> = {}): Promise<{ bridge: BridgeProcess; env: Record<string, string> }> {
  hub = await startDeviceHub();
  await hub.register("cluster-user");
  const fullEnv = { ...baseBridgeEnv(hub.connectionString, makeSqliteUrl()), API_PROCESSES: "2", ...env };
  const bridge = await spawnBridge(fullEnv);
  bridges.push(bridge);
  // Each API process logs its own line once it listens, so it may come after the primary's.
  await waitFor("both API processes' start lines", () => apiPids(bridge).length === 2);
  return { bridge, env: fullEnv };
}

const apiPids = (b: BridgeProcess): number[] => b.lines().filter((l) => l.msg === "API process listening").map((l) => Number(l.pid));
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function waitFor(what: string, test: () => boolean, deadlineMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!test()) {
    if (Date.now() - started > deadlineMs) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
}

/** A load of up to `total` POSTs for cluster-user that calls `act` once, when `afterAccepted` have been answered 201. */
function loadActingOnce(bridge: BridgeProcess, o: { tag: string; total: number; afterAccepted: number; act: () => void }) {
  let acted = false;
  return runLoad({
    urlFor: () => bridge.url, unsIdFor: () => "cluster-user", total: o.total, concurrency: 8, tag: o.tag,
    onResult: (_r, counts) => {
      if (counts.accepted >= o.afterAccepted && !acted) {
        acted = true;
        o.act();
      }
    },
  });
}

/** GET /metrics on a fresh connection, so each scrape may land on either API process. */
const scrape = async (bridge: BridgeProcess): Promise<string> => (await fetch(`${bridge.url}/metrics`, { headers: { connection: "close" } })).text();

/** Sums every sample of a counter whose labels include all of `labels`. */
function sumSamples(metricsText: string, name: string, labels: Record<string, string>): number {
  return metricsText
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}

describe("API_PROCESSES=2: a cluster of API processes in front of one outbox", () => {
  it("spreads connections over both processes, delivers each accepted notification once, and /metrics adds up the whole cluster", { timeout: 60_000 }, async () => {
    const { bridge } = await startCluster();
    expect(apiPids(bridge)).toHaveLength(2);
    const results = await runLoad({ urlFor: () => bridge.url, unsIdFor: () => "cluster-user", total: 60, concurrency: 8, tag: "spread" });
    expect(acceptedIds(results)).toHaveLength(60);
    await waitForOutboxDrained(bridge.url, 30_000);

    const served = new Set(bridge.lines().filter((l) => l.msg === "request" && l.route === "/beta/me/notifications").map((l) => l.apiProcess));
    expect([...served].sort()).toEqual([1, 2]);
    const tally = tallyDeliveries(hub!.deliveriesByBridgeId(), expectedDevices(acceptedTargets(results)));
    expect({ missing: tally.missing, duplicates: tally.duplicates }).toEqual({ missing: [], duplicates: 0 });

    // Whichever process answers the scrape, it reports every process's requests and the primary's deliveries.
    // The counts are eventually consistent, so the first scrapes may be behind: the outbox thread posts
    // each attempt to the primary's main thread after writing it (the store says "sent" first), and a
    // process that misses a scrape's 1 s collection is counted as it last answered (not at all, the
    // first time). Nothing is under way any more, so once a scrape has it all, every scrape must.
    const sent = (await listAllDeliveries(bridge.url, "sent")).length;
    await until("a scrape counting every request and every sent delivery", async () => {
      const text = await scrape(bridge);
      const counted = { requests: sumSamples(text, "gnb_http_requests_total", { route: "/beta/me/notifications", status: "201" }), sent: sumSamples(text, "gnb_deliveries_total", { outcome: "sent" }) };
      expect(counted.requests).toBeLessThanOrEqual(60); // behind, never ahead
      expect(counted.sent).toBeLessThanOrEqual(sent);
      return counted.requests === 60 && counted.sent === sent ? true : undefined;
    }, 15_000);
    for (let n = 0; n < 4; n++) {
      const text = await scrape(bridge);
      expect(sumSamples(text, "gnb_http_requests_total", { route: "/beta/me/notifications", status: "201" })).toBe(60);
      expect(sumSamples(text, "gnb_deliveries_total", { outcome: "sent" })).toBe(sent);
      // The outbox gauges come from the primary alone: one sample per state, not one per process.
      expect(text.split("\n").filter((l) => l.startsWith('gnb_outbox_depth{state="pending"}'))).toEqual(['gnb_outbox_depth{state="pending"} 0']);
    }
  });

  it("replaces an API process killed under load, keeps accepting, and its counted requests stay counted", { timeout: 60_000 }, async () => {
    // A rate limit makes every request a message to the primary, so some answers go to the process as it dies.
    const { bridge } = await startCluster({ RATE_LIMIT_PER_MINUTE: "100000" });
    const [victim, survivor] = apiPids(bridge);
    const before = await runLoad({ urlFor: () => bridge.url, unsIdFor: () => "cluster-user", total: 20, concurrency: 4, tag: "before-crash" });
    expect(acceptedIds(before)).toHaveLength(20);
    const counted = async () => sumSamples(await scrape(bridge), "gnb_http_requests_total", { route: "/beta/me/notifications", status: "201" });
    // Until both processes have answered a scrape's collection once, the primary has nothing of the
    // one that did not (a loaded process can miss the 1 s wait): the victim's share must be seen
    // before it dies, or there would be nothing of it to keep counting.
    await until("a scrape counting both processes' 20 requests", async () => {
      const n = await counted();
      expect(n).toBeLessThanOrEqual(20);
      return n === 20 ? true : undefined;
    }, 15_000);

    const during = await loadActingOnce(bridge, { tag: "during-crash", total: 200, afterAccepted: 30, act: () => process.kill(victim, "SIGKILL") });
    await waitFor("a replacement API process", () => apiPids(bridge).length === 3);
    const replacement = apiPids(bridge)[2];
    expect(replacement).not.toBe(victim);
    expect(bridge.lines().find((l) => l.msg === "API process exited; starting another")).toMatchObject({ level: "error", signal: "SIGKILL", pid: victim });
    expect({ primary: bridge.child.exitCode, survivor: isAlive(survivor), replacement: isAlive(replacement) }).toEqual({ primary: null, survivor: true, replacement: true });

    const after = await runLoad({ urlFor: () => bridge.url, unsIdFor: () => "cluster-user", total: 30, concurrency: 6, tag: "after-crash" });
    expect(after.filter((r) => r.kind !== "accepted")).toEqual([]);
    // The dead process's requests seen at the last scrape stay in the sum: the counter never falls.
    expect(await counted()).toBeGreaterThanOrEqual(20 + 30);
    const text = await scrape(bridge);
    expect(text.split("\n").filter((l) => /^gnb_api_process(es|_restarts_total) /.test(l)).sort()).toEqual(["gnb_api_process_restarts_total 1", "gnb_api_processes 2"]);
    expect(acceptedIds(during).length).toBeGreaterThanOrEqual(30);
  });

  it("drains every API process on SIGTERM, exits 0 and leaves no process behind", { timeout: 60_000 }, async () => {
    const { bridge, env } = await startCluster({ SHUTDOWN_TIMEOUT_MS: "5000" });
    const pids = apiPids(bridge);
    const results = await loadActingOnce(bridge, { tag: "cluster-drain", total: 1000, afterAccepted: 40, act: () => bridge.child.kill("SIGTERM") });
    expect(await bridge.exited).toEqual({ code: 0, signal: null });
    expect(pids.filter(isAlive)).toEqual([]);
    expect(bridge.lines().filter((l) => l.msg === "shutdown complete").map((l) => l.apiProcess ?? "primary").sort()).toEqual([1, 2, "primary"]);
    expect(results.filter((r) => r.kind !== "accepted" && r.kind !== "connection-error")).toEqual([]);

    const { tally } = await restartAndExpectEveryAcceptedDelivered({ hub: hub!, env, results, track: (b) => bridges.push(b) });
    expect({ duplicates: tally.duplicates, unanswered: tally.unanswered }).toEqual({ duplicates: 0, unanswered: 0 });
  });

  it("takes its API processes down with it when the primary is killed, and a restart sends everything answered", { timeout: 60_000 }, async () => {
    // A short lease: the killed primary's claims are taken over soon after the restart.
    const { bridge, env } = await startCluster({ OUTBOX_LEASE_MS: "2000", NH_TIMEOUT_MS: "1000", OUTBOX_BATCH_SIZE: "64" });
    const pids = apiPids(bridge);
    const results = await loadActingOnce(bridge, { tag: "primary-kill", total: 1000, afterAccepted: 40, act: () => bridge.child.kill("SIGKILL") });
    await bridge.exited;
    // An API process whose primary is gone exits on its own (node:cluster), so no orphan keeps serving.
    await waitFor("the API processes to exit", () => pids.every((p) => !isAlive(p)), 5000);
    const { tally } = await restartAndExpectEveryAcceptedDelivered({ hub: hub!, env, results, track: (b) => bridges.push(b) });
    expect(tally.missing).toEqual([]);
  });

  it("runs on the embedded defaults too: the primary's emulator serves every API process", { timeout: 60_000 }, async () => {
    const env = { PORT: "0", HOST: "127.0.0.1", EMULATOR_PORT: "0", DATABASE_URL: makeSqliteUrl(), LOG_LEVEL: "info", API_PROCESSES: "2" };
    const bridge = await spawnBridge(env);
    bridges.push(bridge);
    await waitFor("both API processes' start lines", () => apiPids(bridge).length === 2);
    for (let probe = 0; probe < 4; probe++) {
      const res = await fetch(`${bridge.url}/readyz`, { headers: { connection: "close" } });
      expect(await res.json()).toEqual({ status: "ready", checks: { store: "ok", "notification-hubs": "ok" } });
    }
    const results = await runLoad({ urlFor: () => bridge.url, unsIdFor: () => "demo-user", total: 10, concurrency: 4, tag: "embedded" });
    expect(acceptedIds(results)).toHaveLength(10);
  });

  it("answers /readyz from every API process with the primary's Notification Hubs check", { timeout: 60_000 }, async () => {
    // Port 9 (discard): below the ephemeral range, so no listen(0) on the machine is ever handed it. A
    // freed ephemeral port can be, while the cluster starts, to another test's HTTP server (supertest
    // listens once per request), whose 404 the readiness check reads as "reachable, key accepted".
    const deadHub = `Endpoint=http://127.0.0.1:9/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=${Buffer.alloc(32, 7).toString("base64")}`;
    const bridge = await spawnBridge({ ...baseBridgeEnv(deadHub, makeSqliteUrl()), API_PROCESSES: "2" });
    bridges.push(bridge);
    await waitFor("both API processes' start lines", () => apiPids(bridge).length === 2);
    // Every probe must get the primary's answer; probing goes on until each API process has answered
    // at least one (by their request log lines, which reach us through stdout a little later): which
    // process takes a new connection is the cluster's round robin, and a process can start taking
    // them a moment after its start line.
    const answeredBy = () => new Set(bridge.lines().filter((l) => l.msg === "request" && l.route === "/readyz").map((l) => l.apiProcess));
    for (let probe = 0; probe < 6 || (answeredBy().size < 2 && probe < 60); probe++) {
      const res = await fetch(`${bridge.url}/readyz`, { headers: { connection: "close" } });
      const body = (await res.json()) as { status: string; checks: Record<string, string> };
      expect(res.status).toBe(503);
      expect(body.checks.store).toBe("ok");
      expect(body.checks["notification-hubs"]).toMatch(/ECONNREFUSED|connect|unreachable|network/i);
      if (probe >= 6) await delay(100);
    }
    await waitFor("/readyz request lines from both API processes", () => answeredBy().size === 2, 5_000);
    expect([...answeredBy()].sort()).toEqual([1, 2]);
    // Accepting does not wait for NH: the outbox keeps what it accepted.
    const results = await runLoad({ urlFor: () => bridge.url, unsIdFor: () => "cluster-user", total: 4, concurrency: 2, tag: "nh-down" });
    expect(acceptedIds(results)).toHaveLength(4);
  });

  it("keeps one rate limit per caller for the whole cluster, not one per process", { timeout: 60_000 }, async () => {
    const { bridge } = await startCluster({ RATE_LIMIT_PER_MINUTE: "10" });
    // Many lanes, so increments from both processes reach the primary at the same moment.
    const results = await runLoad({ urlFor: () => bridge.url, unsIdFor: () => "cluster-user", total: 30, concurrency: 12, tag: "limited" });
    const served = new Set(bridge.lines().filter((l) => l.msg === "request" && l.route === "/beta/me/notifications").map((l) => l.apiProcess));
    expect(served.size).toBe(2);
    expect(results.map((r) => (r.kind === "answered" ? r.status : r.kind)).sort()).toEqual([...Array(10).fill("accepted"), ...Array(20).fill(429)].sort());
    expect(acceptedIds(results)).toHaveLength(10);
    expect(results.filter((r) => r.kind === "answered").map((r) => (r.kind === "answered" ? r.status : 0))).toEqual(Array(20).fill(429));
  });
});
