import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../src/bridge.js";
import { loadConfig } from "../../src/config.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server.js";
import { createLogger } from "../../src/observability/logger.js";
import { captureLines } from "../observability/helpers.js";
import { until } from "../support/until.js";

/** A hub key that Notification Hubs refuses is logged loudly at start-up (issue 12), not only reported by /readyz. */
describe("start-up check of the hub key", () => {
  let hub: RunningEmulator;
  let bridge: RunningBridge | undefined;
  beforeAll(async () => {
    hub = await startEmulator({ port: 0 });
  });
  afterEach(async () => {
    await bridge?.shutdown();
    bridge = undefined;
  });
  afterAll(() => hub.close());

  async function startWithKey(connectionString: string) {
    const log = captureLines();
    const logger = createLogger({ level: "info", destination: new Writable({ write: (c, _e, cb) => (log.write(String(c)), cb()) }) });
    bridge = await startBridge(loadConfig({ PORT: "0", NOTIFICATIONHUBS_CONNECTION_STRING: connectionString, NOTIFICATION_HUB_NAME: "orders", DATABASE_URL: "sqlite::memory:" }), { logger });
    return log;
  }

  it("logs an error naming NOTIFICATIONHUBS_CONNECTION_STRING when NH answers 401", async () => {
    const log = await startWithKey(hub.connectionString().replace(/SharedAccessKey=[^;]+/, "SharedAccessKey=d3Jvbmcta2V5"));
    const line = await until("the start-up hub check's error line", () => log.lines.find((l) => l.level === "error"));
    expect(line).toMatchObject({ hub: "orders", status: 401 });
    expect(line.msg).toMatch(/^NOTIFICATIONHUBS_CONNECTION_STRING: Notification Hubs refuses its key for hub 'orders' \(401\)\. Every send will be dead-lettered/);
    expect(log.raw.join("\n")).not.toContain("d3Jvbmcta2V5");
  });

  it("logs nothing of the kind when the key is accepted", async () => {
    const log = await startWithKey(hub.connectionString());
    await until("readiness", async () => (await bridge!.checkStrategyReady().then(() => true, () => undefined)));
    expect(log.lines.filter((l) => ["warn", "error", "fatal"].includes(String(l.level)))).toEqual([]);
  });
});
