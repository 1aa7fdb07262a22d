import { createAppleNotification, createFcmV1Installation } from "@azure/notification-hubs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FULL_KEY_NAME, DEFAULT_FULL_KEY, buildPolicies, DEFAULT_LISTEN_KEY } from "../../src/emulator/keys.js";
import { createSasToken } from "../../src/emulator/sas.js";
import type { RunningEmulator } from "../../src/emulator/server.js";
import { errorOf, FCM_TOKEN, sdkClient, startTestEmulator } from "./nh-fixtures.js";

const alert = createAppleNotification({ body: { aps: { alert: "x" } } });

describe("fault injection", () => {
  let running: RunningEmulator;
  beforeAll(async () => {
    running = await startTestEmulator({ faults: { "hub-throttled": { throttle: { retryAfterSeconds: 7, count: 2 } } } });
  });
  afterAll(() => running.close());

  it("throttles with 429 and Retry-After for the configured count, then recovers", async () => {
    const client = sdkClient(running, "hub-throttled");
    for (let i = 0; i < 2; i += 1) {
      const error = await errorOf(client.sendBroadcastNotification(alert));
      expect(error.statusCode).toBe(429);
      expect(error.response?.headers.get("retry-after")).toBe("7");
    }
    await client.sendBroadcastNotification(alert);
  });

  it("sets, reads and clears faults through the control API", async () => {
    const base = `${running.url}/_emulator/api/hubs/hub-5xx/faults`;
    const put = await fetch(base, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ serverError: { status: 503 } }) });
    expect(put.status).toBe(200);
    expect(await (await fetch(base)).json()).toEqual({ faults: { serverError: { status: 503 } } });
    const client = sdkClient(running, "hub-5xx");
    expect((await errorOf(client.sendBroadcastNotification(alert))).statusCode).toBe(503);
    expect((await errorOf(client.getInstallation("x"))).statusCode).toBe(503);
    expect((await fetch(base, { method: "DELETE" })).status).toBe(204);
    expect((await errorOf(client.getInstallation("x"))).statusCode).toBe(404);
  });

  it("refuses an invalid fault spec", async () => {
    const response = await fetch(`${running.url}/_emulator/api/hubs/h/faults`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ throttle: { retryAfter: 1 } }),
    });
    expect(response.status).toBe(400);
  });

  it("adds latency", async () => {
    running.emulator.setFaults("hub-slow", { latencyMs: 150 });
    const started = performance.now();
    await sdkClient(running, "hub-slow").sendBroadcastNotification(alert);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    running.emulator.setFaults("hub-slow", undefined);
  });
});

describe("strictness", () => {
  let running: RunningEmulator;
  const policies = buildPolicies(DEFAULT_FULL_KEY, DEFAULT_LISTEN_KEY);
  beforeAll(async () => {
    running = await startTestEmulator();
  });
  afterAll(() => running.close());

  function authorization(): string {
    return createSasToken({ resourceUri: `${running.url}/`, policy: policies.full, expiresAt: new Date(Date.now() + 3_600_000) });
  }

  async function call(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
    const response = await fetch(`${running.url}${path}`, { method, headers: { Authorization: authorization(), ...headers }, body });
    return { status: response.status, text: await response.text() };
  }

  const send = { "ServiceBusNotification-Format": "apple", "Content-Type": "application/json" };
  const body = JSON.stringify({ aps: { alert: "x" } });

  it("accepts a plain REST send with the well-known key", async () => {
    expect((await call("POST", "/h/messages/?api-version=2020-06", send, body)).status).toBe(201);
    expect(FULL_KEY_NAME).toBe("DefaultFullSharedAccessSignature");
  });

  it("refuses an unknown query parameter", async () => {
    const r = await call("POST", "/h/messages/?api-version=2020-06&foo=1", send, body);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/not supported by the emulator/);
  });

  it("requires api-version", async () => {
    expect((await call("POST", "/h/messages/", send, body)).status).toBe(400);
  });

  it("refuses an unsupported ServiceBusNotification header", async () => {
    const r = await call("POST", "/h/messages/?api-version=2020-06", { ...send, "ServiceBusNotification-Foo": "1" }, body);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/servicebusnotification-foo.*not supported by the emulator/);
  });

  it("refuses an unsupported format such as template", async () => {
    const r = await call("POST", "/h/messages/?api-version=2020-06", { ...send, "ServiceBusNotification-Format": "template" }, body);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(/template/);
  });

  it("refuses an unknown operation", async () => {
    expect((await call("GET", "/h/installations?api-version=2020-06")).status).toBe(400);
    expect((await call("POST", "/h/whatever/?api-version=2020-06")).status).toBe(400);
  });

  it("answers registrations with 501 not supported", async () => {
    const r = await call("POST", "/h/registrations/?api-version=2020-06");
    expect(r.status).toBe(501);
    expect(r.text).toMatch(/registrations API is not supported by the emulator/);
    const sdk = sdkClient(running, "h");
    expect((await errorOf(sdk.createRegistrationId())).statusCode).toBe(501);
  });

  it("refuses a send body over NH's 64 KB", async () => {
    expect((await call("POST", "/h/messages/?api-version=2020-06", send, "x".repeat(65 * 1024))).status).toBe(413);
  });

  it("mirrors the SDK's broadcast test send, which sends the tag expression 'undefined'", async () => {
    const client = sdkClient(running, "hub-quirk");
    await client.createOrUpdateInstallation(createFcmV1Installation({ installationId: "a", pushChannel: FCM_TOKEN }));
    const response = await client.sendBroadcastNotification(
      { platform: "fcmv1", contentType: "application/json;charset=utf-8", body: '{"message":{}}' },
      { enableTestSend: true },
    );
    expect(response.successCount).toBe(0);
  });
});

describe("control API", () => {
  it("summarises hubs and resets one", async () => {
    const running = await startTestEmulator();
    try {
      const client = sdkClient(running, "hub-c");
      await client.createOrUpdateInstallation(createFcmV1Installation({ installationId: "a", pushChannel: FCM_TOKEN }));
      const hubs = (await (await fetch(`${running.url}/_emulator/api/hubs`)).json()) as { hubs: { name: string; installations: number }[] };
      expect(hubs.hubs).toEqual([expect.objectContaining({ name: "hub-c", installations: 1, rejectedSends: 0 })]);
      expect((await fetch(`${running.url}/_emulator/api/hubs/hub-c`, { method: "DELETE" })).status).toBe(204);
      expect(running.emulator.view.listHubs()).toEqual([]);
    } finally {
      await running.close();
    }
  });
});
