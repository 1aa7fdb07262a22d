import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { baseBridgeEnv, bridgeMain, makeSqliteUrl } from "./bridge-process.js";
import { startDeviceHub, type DeviceHub } from "./device-hub.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
let hub: DeviceHub | undefined;
let stop: (() => void) | undefined;
afterEach(async () => {
  stop?.();
  await hub?.close();
});

describe("a bridge forked by another node:cluster supervisor (pm2's cluster mode, say)", () => {
  it("runs as a whole bridge, not as an API process waiting for a primary of ours", { timeout: 30_000 }, async () => {
    hub = await startDeviceHub();
    const child = spawn(process.execPath, ["test/process/fixtures/foreign-cluster-primary.mjs"], {
      cwd: ROOT,
      env: { ...process.env, ...baseBridgeEnv(hub.connectionString, makeSqliteUrl()), LOG_LEVEL: "info", BRIDGE_MAIN: bridgeMain() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    stop = () => child.kill("SIGKILL");
    let out = "";
    const listening = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line within 20 s\n${out}`)), 20_000);
      child.stdout!.on("data", (c: Buffer) => {
        out += c.toString("utf8");
        const line = out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>)
          .find((l) => l.msg === "bridge listening" || l.msg === "API process listening");
        if (line) {
          clearTimeout(timer);
          resolve(line);
        }
      });
    });
    expect(listening.msg).toBe("bridge listening");
    const url = String(listening.url);
    // A whole bridge: its readiness and metrics answer at once, from its own NH client and registry.
    const ready = await fetch(`${url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: "ready", checks: { store: "ok", "notification-hubs": "ok" } }]);
    const started = Date.now();
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(metrics).toContain("gnb_outbox_depth");
  });
});
