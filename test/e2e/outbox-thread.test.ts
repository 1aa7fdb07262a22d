import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../src/bridge.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/observability/logger.js";
import { HUB, startHubsFixture, type HubsFixture } from "../support/hubs-fixture.js";
import { until } from "../support/until.js";


describe("the outbox on its own thread (BRIDGE_ROLE=all, OUTBOX_THREAD default)", () => {
  let f: HubsFixture;
  let bridge: RunningBridge;
  let dbFile: string;
  const lines: string[] = [];

  beforeAll(async () => {
    f = await startHubsFixture();
    await f.register("olga");
    dbFile = join(mkdtempSync(join(tmpdir(), "gnb-outbox-thread-")), "b.db");
    const config = loadConfig({ PORT: "0", NOTIFICATIONHUBS_CONNECTION_STRING: f.connectionString, NOTIFICATION_HUB_NAME: HUB, DATABASE_URL: `sqlite:${dbFile}`, OUTBOX_POLL_INTERVAL_MS: "10" });
    expect(config.outboxOnThread).toBe(true);
    bridge = await startBridge(config, { logger: createLogger({ level: "info", destination: new Writable({ write: (c, _e, cb) => { lines.push(String(c)); cb(); } }) }) });
  });
  afterAll(async () => {
    await bridge?.shutdown();
    await f?.close();
  });

  it("delivers what the main loop accepted, with no outbox worker on the main loop", async () => {
    expect(bridge.worker).toBeUndefined();
    const body = JSON.stringify({ targetHostName: "notify.contoso.com", payload: { rawContent: "from the thread" }, targetPolicy: { platformTypes: ["android", "windows"] } });
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${bridge.url}/beta/me/notifications`, { method: "POST", headers: { "X-UNS-ID": "olga", "Content-Type": "application/json" }, body });
      expect(res.status).toBe(201);
    }
    await until("ten deliveries at the emulator", () => (f.emulator.emulator.view.listDeliveries({ hub: HUB, userId: "olga" }).length === 10 ? true : undefined));
    expect(f.emulator.emulator.view.listDeliveries({ hub: HUB, userId: "olga" })).toHaveLength(10);
  });

  it("counts the thread's attempts in the main /metrics and shows an empty outbox", async () => {
    let text = "";
    await until("five android sends counted", async () => {
      text = await (await fetch(`${bridge.url}/metrics`)).text();
      return /gnb_deliveries_total\{platform="android",outcome="sent"\} 5/.test(text) ? true : undefined;
    });
    expect(text).toMatch(/gnb_deliveries_total\{platform="windows",outcome="sent"\} 5/);
    expect(text).toMatch(/gnb_outbox_depth\{state="pending"\} 0/);
  });

  it("a thread that dies is started again, and what was accepted meanwhile is delivered", async () => {
    await bridge.outboxThread!.crash();
    const body = JSON.stringify({ targetHostName: "notify.contoso.com", payload: { rawContent: "after the crash" }, targetPolicy: { platformTypes: ["android"] } });
    const res = await fetch(`${bridge.url}/beta/me/notifications`, { method: "POST", headers: { "X-UNS-ID": "olga", "Content-Type": "application/json" }, body });
    expect(res.status).toBe(201); // the main loop keeps accepting into the store
    await until("the restarted thread to deliver it", () => (JSON.stringify(f.emulator.emulator.view.listDeliveries({ hub: HUB, userId: "olga" })).includes("after the crash") ? true : undefined));
    expect(bridge.outboxThread!.restarts).toBe(1);
    expect(lines.some((l) => l.includes("outbox thread exited; starting it again"))).toBe(true);
  });

  it("sqlite::memory: keeps the outbox on the main loop", () => {
    expect(loadConfig({ DATABASE_URL: "sqlite::memory:" }).outboxOnThread).toBe(false);
    expect(loadConfig({ OUTBOX_THREAD: "false" }).outboxOnThread).toBe(false);
    expect(loadConfig({ BRIDGE_ROLE: "worker" }).outboxOnThread).toBe(false);
  });
});
