import { setTimeout as delay } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../src/bridge.js";
import { loadConfig } from "../../src/config.js";
import { makeSqliteUrl } from "./bridge-process.js";
import { startDeviceHub, type DeviceHub } from "./device-hub.js";
import { aVisualNotification } from "./legacy-load.js";
import { createTestDatabase, isPostgresReachable, throughPort, type TestDatabase } from "./pg-database.js";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";
import { until } from "../support/until.js";

const pgReachable = await isPostgresReachable();

interface Readiness {
  status: number;
  body: { status: string; reason?: string; checks: Record<string, string> };
}

async function readyz(bridge: RunningBridge): Promise<Readiness> {
  const res = await fetch(`${bridge.url}/readyz`);
  return { status: res.status, body: (await res.json()) as Readiness["body"] };
}

/** `name{labels} value` lines of the Prometheus text, keyed by everything before the value. */
async function scrape(bridge: RunningBridge): Promise<Map<string, number>> {
  const text = await (await fetch(`${bridge.url}/metrics`)).text();
  const series = text.split("\n").filter((l) => l.startsWith("gnb_")).map((l) => [l.slice(0, l.lastIndexOf(" ")), Number(l.slice(l.lastIndexOf(" ") + 1))] as const);
  return new Map(series);
}

async function postVisual(bridge: RunningBridge, appNotificationId: string, body?: unknown): Promise<number> {
  const res = await fetch(`${bridge.url}/beta/me/notifications`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-uns-id": "ready-user" },
    body: JSON.stringify(body ?? aVisualNotification(appNotificationId, new Date())),
  });
  await res.arrayBuffer();
  return res.status;
}

let hub: DeviceHub | undefined;
let bridge: RunningBridge | undefined;
let proxy: TcpProxy | undefined;
let database: TestDatabase | undefined;
afterEach(async () => {
  // Each step runs even if an earlier one fails, so no database is left behind.
  const steps = [() => bridge?.shutdown(), () => proxy?.close(), () => hub?.close(), () => database?.drop()];
  const outcomes = [];
  for (const step of steps) outcomes.push(await Promise.resolve().then(step).then(() => undefined, (e: unknown) => e));
  bridge = proxy = hub = database = undefined;
  const failure = outcomes.find((e) => e !== undefined);
  if (failure) throw failure;
});

/** The bridge's clock: real time plus an offset a test can move forward (past cached probe results). */
let clockOffsetMs = 0;
const now = () => new Date(Date.now() + clockOffsetMs);

/**
 * A bridge on a fresh device hub. `hubProxy`: it reaches the hub through a TCP proxy (kept in
 * `proxy`), so a test can make the hub unreachable while its port stays held: closing the hub would
 * free its port, which another test's listen(0) could take before the probe runs.
 */
async function startWith(databaseUrl: string, o: { hubProxy?: boolean } = {}): Promise<RunningBridge> {
  clockOffsetMs = 0;
  hub = await startDeviceHub();
  await hub.register("ready-user");
  let connectionString = hub.connectionString;
  if (o.hubProxy) {
    const hubUrl = new URL(hub.emulator.url);
    proxy = await startTcpProxy({ host: hubUrl.hostname, port: Number(hubUrl.port) });
    connectionString = connectionString.replace(`:${hubUrl.port}/`, `:${proxy.port}/`);
  }
  const config = loadConfig({
    PORT: "0", NOTIFICATIONHUBS_CONNECTION_STRING: connectionString, DATABASE_URL: databaseUrl,
    LOG_LEVEL: "silent", RATE_LIMIT_PER_MINUTE: "0", OUTBOX_POLL_INTERVAL_MS: "20",
  });
  bridge = await startBridge(config, { now });
  return bridge;
}

describe("issue 6: metrics and probes of a running bridge", () => {
  it("counts requests by status and strategy and deliveries by platform and outcome", async () => {
    const b = await startWith(makeSqliteUrl());
    expect(await Promise.all(["m1", "m2", "m3"].map((id) => postVisual(b, id)))).toEqual([201, 201, 201]);
    expect(await postVisual(b, "bad", { payload: {} })).toBe(400);

    const sent = (m: Map<string, number>, platform: string) => m.get(`gnb_deliveries_total{platform="${platform}",outcome="sent"}`) ?? 0;
    let metrics = await scrape(b);
    for (let i = 0; i < 100 && ["ios", "android", "windows", "webpush"].some((p) => sent(metrics, p) < 3); i++) {
      await delay(50);
      metrics = await scrape(b);
    }
    expect(metrics.get('gnb_http_requests_total{route="/beta/me/notifications",method="POST",status="201",strategy="hubs"}')).toBe(3);
    expect(metrics.get('gnb_http_requests_total{route="/beta/me/notifications",method="POST",status="400",strategy="hubs"}')).toBe(1);
    for (const platform of ["ios", "android", "windows", "webpush"]) expect(sent(metrics, platform)).toBe(3);
    expect(metrics.get('gnb_outbox_depth{state="pending"}')).toBe(0);
    expect(hub!.emulator.emulator.view.listDeliveries({}).length).toBe(12);

    const health = await fetch(`${b.url}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: "ok" }]);
    expect(await readyz(b)).toEqual({ status: 200, body: { status: "ready", checks: { store: "ok", "notification-hubs": "ok" } } });
  });

  it("answers 503 naming notification-hubs when NH is unreachable, and stays live", async () => {
    const b = await startWith(makeSqliteUrl(), { hubProxy: true });
    expect((await readyz(b)).status).toBe(200);
    proxy!.cut(); // every connection to the hub is cut and new ones reset; the port stays ours
    clockOffsetMs += 60_000; // past the time a healthy NH answer is trusted
    const r = await readyz(b);
    expect(r.status).toBe(503);
    expect(r.body.status).toBe("not-ready");
    expect(r.body.checks.store).toBe("ok");
    expect(r.body.checks["notification-hubs"]).toMatch(/unreachable \(ECONNRESET\)/);
    expect((await fetch(`${b.url}/healthz`)).status).toBe(200);
    expect(await postVisual(b, "while-nh-down")).toBe(201); // the outbox still accepts
  });

  it("answers 503 naming the store when the SQLite handle is closed underneath", async () => {
    const b = await startWith(makeSqliteUrl());
    expect((await readyz(b)).status).toBe(200);
    await b.store!.close();
    const r = await readyz(b);
    expect(r.status).toBe(503);
    expect(r.body.checks["notification-hubs"]).toBe("ok");
    expect(r.body.checks.store).toMatch(/not open|closed/i);
    expect((await fetch(`${b.url}/healthz`)).status).toBe(200);
    // With the store gone the worker cannot release its claims; shutdown logs that and still
    // finishes (the claims are retaken after their lease, so nothing is lost).
    await expect(b.shutdown()).resolves.toBeUndefined();
    bridge = undefined;
  });

  it.skipIf(!pgReachable)("answers 503 naming the store when PostgreSQL becomes unreachable", async () => {
    database = await createTestDatabase();
    proxy = await startTcpProxy({ host: new URL(database.url).hostname, port: Number(new URL(database.url).port || 5432) });
    const b = await startWith(throughPort(database.url, proxy.port));
    expect(await postVisual(b, "pg-1")).toBe(201);
    expect(await readyz(b)).toEqual({ status: 200, body: { status: "ready", checks: { store: "ok", "notification-hubs": "ok" } } });
    proxy.cut();
    const r = await readyz(b);
    expect(r.status).toBe(503);
    expect(r.body.checks["notification-hubs"]).toBe("ok");
    expect(r.body.checks.store).toMatch(/ECONNREFUSED|ECONNRESET|connect|terminated|timed out/i);
    expect(r.body.checks.store).not.toContain(database.url); // reasons never echo the connection string
    const metrics = await scrape(b); // /metrics still answers while the store is away
    expect(metrics.get('gnb_http_requests_total{route="/readyz",method="GET",status="503",strategy="hubs"}')).toBe(1);
    // An accept while the database is away: a Graph-shaped 503 with Retry-After, never a 500.
    const res = await fetch(`${b.url}/beta/me/notifications`, {
      method: "POST", headers: { "content-type": "application/json", "x-uns-id": "ready-user" },
      body: JSON.stringify(aVisualNotification("pg-down", new Date())),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "ServiceUnavailable", message: expect.stringContaining("Idempotency-Key") });
    proxy.restore(); // ready again without a restart once the database is back (a probe write, at most once a second)
    await until("readiness after the database came back", async () => ((await readyz(b)).status === 200 ? true : undefined), 5000);
    expect(await postVisual(b, "pg-2")).toBe(201);
  });
});
