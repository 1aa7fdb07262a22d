import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../src/bridge.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/observability/logger.js";
import { HUB, startHubsFixture, type HubsFixture } from "../support/hubs-fixture.js";

describe("BRIDGE_ROLE: an api process and a worker process on one database", () => {
  let f: HubsFixture;
  let api: RunningBridge;
  let worker: RunningBridge;

  beforeAll(async () => {
    f = await startHubsFixture();
    await f.register("gina");
    const shared = {
      PORT: "0", NOTIFICATIONHUBS_CONNECTION_STRING: f.connectionString, NOTIFICATION_HUB_NAME: HUB, OUTBOX_POLL_INTERVAL_MS: "10",
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), "gnb-roles-")), "b.db")}`,
    };
    const logger = createLogger({ level: "silent", destination: new Writable({ write: (_c, _e, cb) => cb() }) });
    api = await startBridge(loadConfig({ ...shared, BRIDGE_ROLE: "api" }), { logger });
    worker = await startBridge(loadConfig({ ...shared, BRIDGE_ROLE: "worker" }), { logger });
  });
  afterAll(async () => {
    await api?.shutdown();
    await worker?.shutdown();
    await f.close();
  });

  it("accepts on the api process and delivers from the worker process", async () => {
    expect(api.worker).toBeUndefined();
    expect(worker.worker).toBeDefined();
    const body = JSON.stringify({ targetHostName: "notify.contoso.com", payload: { rawContent: "split" }, targetPolicy: { platformTypes: ["android"] } });
    const res = await fetch(`${api.url}/beta/me/notifications`, { method: "POST", headers: { "X-UNS-ID": "gina", "Content-Type": "application/json" }, body });
    expect(res.status).toBe(201);
    const deadline = Date.now() + 10_000;
    while (f.emulator.emulator.view.listDeliveries({ hub: HUB, userId: "gina" }).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(f.emulator.emulator.view.listDeliveries({ hub: HUB, userId: "gina" })).toHaveLength(1);
  });

  it("serves only operations on the worker process", async () => {
    expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${worker.url}/metrics`)).status).toBe(200);
    const post = await fetch(`${worker.url}/beta/me/notifications`, { method: "POST", headers: { "X-UNS-ID": "gina", "Content-Type": "application/json" }, body: "{}" });
    expect(post.status).toBe(404);
  });

  it("refuses roles without the outbox", () => {
    expect(() => loadConfig({ BRIDGE_ROLE: "worker", DELIVERY_MODE: "direct" })).toThrow(/BRIDGE_ROLE/);
  });
});
