import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHubClient } from "../../src/delivery/hubs/hub-client.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server.js";
import { until } from "../support/until.js";
import { baseBridgeEnv, makeSqliteUrl, spawnBridge, type BridgeProcess } from "./bridge-process.js";

const HUBS = ["hub-a", "hub-b"];
const hub = (name: string) => ({ type: "hubs", connectionString: `env:${name.toUpperCase().replace("-", "_")}_CONNECTION_STRING`, hubName: name });
const routingTo = (destination: string) => ({
  destinations: { "hub-a": hub("hub-a"), "hub-b": hub("hub-b") },
  routes: [{ name: "orders", match: { targetHostName: "orders.example.com" }, destination }],
  default: "hub-a",
});

/**
 * The real entry point with ROUTING_FILE and two hubs (one emulator, a key per hub, the real SDK):
 * SIGHUP reloads the file; new notifications follow it, accepted ones keep their destination, and
 * an invalid file changes nothing.
 */
describe("reloading ROUTING_FILE on SIGHUP (process)", () => {
  let emulator: RunningEmulator;
  let bridge: BridgeProcess;
  let file: string;
  const received = (h: string) => emulator.emulator.view.listDeliveries({ hub: h, userId: "pat" }).length;
  const post = async () => {
    const res = await fetch(`${bridge.url}/beta/me/notifications`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-uns-id": "pat" },
      body: JSON.stringify({ targetHostName: "orders.example.com", payload: { rawContent: "order shipped" }, targetPolicy: { platformTypes: ["android"] } }),
    });
    return { status: res.status, id: ((await res.json()) as { id: string }).id };
  };
  const deliveryOf = async (id: string) =>
    ((await (await fetch(`${bridge.url}/beta/me/notifications/${id}`)).json()) as { deliveries: Array<{ destination: string; state: string; attempts: number }> }).deliveries[0];
  const logged = (msg: string) => bridge.lines().filter((l) => l.msg === msg).length;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, hubKeys: Object.fromEntries(HUBS.map((h) => [h, Buffer.from(`key of ${h}`).toString("base64")])) });
    const env: Record<string, string> = {};
    for (const h of HUBS) {
      const cs = emulator.connectionString("full", h);
      env[`${h.toUpperCase().replace("-", "_")}_CONNECTION_STRING`] = cs;
      await createHubClient({ connectionString: cs, hubName: h, allowInsecureHttp: true })
        .createOrUpdateInstallation({ installationId: `pat-${h}`, platform: "fcmv1", pushChannel: "fcm-token-pat", userId: "pat" });
    }
    file = join(mkdtempSync(join(tmpdir(), "gnb-routing-")), "routing.json");
    writeFileSync(file, JSON.stringify(routingTo("hub-a")));
    const { NOTIFICATIONHUBS_CONNECTION_STRING: _single, ...base } = baseBridgeEnv("", makeSqliteUrl());
    bridge = await spawnBridge({ ...base, ...env, ROUTING_FILE: file, OUTBOX_BASE_BACKOFF_MS: "50" });
  });
  afterAll(async () => {
    await bridge?.kill();
    await emulator?.close();
  });

  it("lists each destination in /readyz and shows the routing in force", async () => {
    const ready = await fetch(`${bridge.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks).toMatchObject({ "destination:hub-a": "ok", "destination:hub-b": "ok" });
    const view = (await (await fetch(`${bridge.url}/bridge/routing`)).json()) as { file: string; routes: Array<{ destination: string }> };
    expect(view.file).toBe(file);
    expect(view.routes).toEqual([expect.objectContaining({ name: "orders", destination: "hub-a" })]);
  });

  it("routes new notifications by the reloaded file while one accepted before still goes to its hub", async () => {
    // The early notification's first attempt is throttled, so it is still waiting when the file changes.
    emulator.emulator.setFaults("hub-a", { throttle: { retryAfterSeconds: 2, count: 1 } });
    const early = await post();
    expect(early.status).toBe(201);
    await until("the early delivery to be retrying", async () => ((await deliveryOf(early.id)).state === "retrying" ? true : undefined));

    writeFileSync(file, JSON.stringify(routingTo("hub-b")));
    bridge.child.kill("SIGHUP");
    await until("the reload", () => (logged("routing reloaded") === 1 ? true : undefined));
    const late = await post();
    expect(late.status).toBe(201);

    await until("both deliveries sent", async () => ((await deliveryOf(early.id)).state === "sent" && (await deliveryOf(late.id)).state === "sent" ? true : undefined));
    expect(await deliveryOf(early.id)).toMatchObject({ destination: "hub-a", attempts: 2 });
    expect(await deliveryOf(late.id)).toMatchObject({ destination: "hub-b", attempts: 1 });
    expect({ a: received("hub-a"), b: received("hub-b") }).toEqual({ a: 1, b: 1 });
  });

  it("keeps the routing in force and keeps serving when the reloaded file is invalid", async () => {
    writeFileSync(file, JSON.stringify({ ...routingTo("hub-b"), default: "hub-z" }));
    bridge.child.kill("SIGHUP");
    await until("the refusal", () => (logged("routing reload refused; the previous routing stays in force") === 1 ? true : undefined));
    const refusal = bridge.lines().find((l) => l.msg === "routing reload refused; the previous routing stays in force");
    expect(refusal?.problems).toEqual(["default: unknown destination 'hub-z' (defined: hub-a, hub-b)"]);

    const after = await post();
    expect(after.status).toBe(201);
    await until("the delivery", async () => ((await deliveryOf(after.id)).state === "sent" ? true : undefined));
    expect(await deliveryOf(after.id)).toMatchObject({ destination: "hub-b" });
    const metrics = await (await fetch(`${bridge.url}/metrics`)).text();
    expect(metrics).toContain('gnb_routing_reloads_total{result="refused"} 1');
    expect(metrics).toContain('gnb_routing_reloads_total{result="applied"} 1');
    expect(bridge.child.exitCode).toBeNull();
  });
});
