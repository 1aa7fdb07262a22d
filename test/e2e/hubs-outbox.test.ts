import request from "supertest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createHubClient } from "../../src/delivery/hubs/hub-client.js";
import { createHubSender } from "../../src/delivery/hubs/hub-sender.js";
import type { RecordedDelivery } from "../../src/emulator/model.js";
import { createOutbox } from "../../src/outbox/create-outbox.js";
import type { OutboxWorker } from "../../src/outbox/worker.js";
import type { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { HUB, freshSqliteStore, hubsApp, startHubsFixture, type HubsFixture } from "../support/hubs-fixture.js";
import { RECORDED_NOW, RECORDED_RAW, RECORDED_VISUAL } from "../support/test-app.js";

/**
 * Issue 4 end to end: accept stores and answers 201, the outbox worker (driven by runOnce and a
 * fake clock, no sleeps) sends through the real SDK to the emulator.
 */
describe("durable delivery end to end (outbox mode, SQLite)", () => {
  let f: HubsFixture;
  let store: SqliteStore;
  let clock: Date;
  let worker: OutboxWorker;
  let app: ReturnType<typeof hubsApp>["app"];
  const now = () => clock;
  const advance = (ms: number) => (clock = new Date(clock.getTime() + ms));

  function workerWith(connectionString: string) {
    const sender = createHubSender(createHubClient({ connectionString, hubName: HUB, allowInsecureHttp: true }), { timeoutMs: 5000, now });
    return createOutbox({ store, sender, now, owner: "test-worker", random: () => 0.5, settings: { maxAttempts: 3 } });
  }
  async function receivedDuring(userId: string, fn: () => Promise<unknown>): Promise<RecordedDelivery[]> {
    const seen = new Set(f.emulator.emulator.view.listDeliveries({ hub: HUB, userId }).map((d) => d.id));
    await fn();
    return f.emulator.emulator.view.listDeliveries({ hub: HUB, userId }).filter((d) => !seen.has(d.id));
  }
  const post = (body: object, headers: Record<string, string> = {}) => request(app).post("/beta/me/notifications").set({ "X-UNS-ID": "carol", ...headers }).send(body);

  beforeAll(async () => {
    f = await startHubsFixture();
    await f.register("carol");
  });
  afterAll(() => f.close());
  beforeEach(async () => {
    clock = new Date(RECORDED_NOW);
    store = await freshSqliteStore();
    app = hubsApp(f, { mode: "outbox", store, now }).app;
    worker = workerWith(f.connectionString);
  });

  it("answers 201 before sending, then the worker delivers every platform and records NH's ids", async () => {
    let id = "";
    const duringAccept = await receivedDuring("carol", async () => {
      const res = await post(RECORDED_RAW);
      expect(res.status).toBe(201);
      id = res.body.id;
    });
    expect(duringAccept).toHaveLength(0);
    const pending = await request(app).get(`/beta/me/notifications/${id}`);
    expect(pending.body.deliveries.map((d: { state: string }) => d.state)).toEqual(["pending", "pending", "pending"]);

    const sent = await receivedDuring("carol", () => worker.runOnce());
    expect(sent.map((d) => d.platform).sort()).toEqual(["apns", "fcmv1", "wns"]);
    const status = await request(app).get(`/beta/me/notifications/${id}`);
    expect(status.status).toBe(200);
    for (const d of status.body.deliveries) {
      expect(d.state).toBe("sent");
      expect(d.attempts).toBe(1);
      expect(d.hubNotificationId).toEqual(expect.any(String));
      expect(d.trackingId).toEqual(expect.any(String));
    }
  });

  it("returns the original for a repeated POST with the same content and sends nothing new", async () => {
    const first = await post(RECORDED_VISUAL);
    await worker.runOnce();
    const again = await post(RECORDED_VISUAL);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    const extra = await receivedDuring("carol", () => worker.runOnce());
    expect(extra).toHaveLength(0);
  });

  it("replaces a live notification whose content changed, with the same collapse keys", async () => {
    const first = await post(RECORDED_VISUAL);
    const original = await receivedDuring("carol", () => worker.runOnce());
    const changed = await post({ ...RECORDED_VISUAL, payload: { visualContent: { title: "Changed", body: "New body" } } });
    expect(changed.status).toBe(201);
    expect(changed.body.id).not.toBe(first.body.id);
    const replacement = await receivedDuring("carol", () => worker.runOnce());
    expect(replacement).toHaveLength(3);
    const key = (ds: RecordedDelivery[], p: string, h: string) => ds.find((d) => d.platform === p)?.headers[h];
    expect(key(replacement, "apns", "apns-collapse-id")).toBe(key(original, "apns", "apns-collapse-id"));
    expect(key(replacement, "wns", "X-WNS-Tag")).toBe(key(original, "wns", "X-WNS-Tag"));
    const old = await request(app).get(`/beta/me/notifications/${first.body.id}`);
    expect(old.body.status).toBe("replaced");
    expect(old.body.replacedBy).toBe(changed.body.id);
  });

  it.each([
    ["a flat body", (b: object) => b],
    ["the {notification: ...} envelope", (b: object) => ({ notification: b })],
  ])("treats a changed expirationDateTime in %s as changed content (a replacement, not a duplicate)", async (_shape, wrap) => {
    const first = await post(wrap(RECORDED_VISUAL));
    expect((await post(wrap(RECORDED_VISUAL))).body.id).toBe(first.body.id);
    const later = await post(wrap({ ...RECORDED_VISUAL, expirationDateTime: "2019-10-31T23:59:00.000Z" }));
    expect(later.status).toBe(201);
    expect(later.body.id).not.toBe(first.body.id);
    expect(later.body.expirationDateTime).toBe("2019-10-31T23:59:00.000Z");
    expect((await request(app).get(`/beta/me/notifications/${first.body.id}`)).body.replacedBy).toBe(later.body.id);
  });

  it("honours Idempotency-Key, and refuses the same key with other content", async () => {
    const body = { ...RECORDED_RAW, appNotificationId: undefined };
    const a = await post(body, { "Idempotency-Key": "k-1" });
    const b = await post(body, { "Idempotency-Key": "k-1" });
    expect(b.body.id).toBe(a.body.id);
    // The repeat's answer is the first one exactly, made again from the stored row.
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(b.headers.location).toBe(a.headers.location);
    const c = await post({ ...body, payload: { rawContent: "other" } }, { "Idempotency-Key": "k-1" });
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe("Conflict");
  });

  it("retries after NH throttling exactly when Retry-After says, to the second", async () => {
    f.emulator.emulator.setFaults(HUB, { throttle: { retryAfterSeconds: 30, count: 3 } });
    const res = await post(RECORDED_RAW);
    await worker.runOnce();
    f.emulator.emulator.setFaults(HUB, undefined);
    const s1 = await request(app).get(`/beta/me/notifications/${res.body.id}`);
    for (const d of s1.body.deliveries) {
      expect(d.state).toBe("retrying");
      expect(d.lastStatus).toBe(429);
      expect(d.nextAttemptAt).toBe(new Date(RECORDED_NOW.getTime() + 30_000).toISOString());
    }
    advance(29_999);
    expect(await receivedDuring("carol", () => worker.runOnce())).toHaveLength(0);
    advance(1);
    expect(await receivedDuring("carol", () => worker.runOnce())).toHaveLength(3);
  });

  it("dead-letters a permanent NH refusal, lists it, and replays it once fixed", async () => {
    const badKey = f.connectionString.replace(/SharedAccessKey=[^;]+/, "SharedAccessKey=d3Jvbmcta2V5");
    const res = await post(RECORDED_VISUAL);
    await workerWith(badKey).runOnce();
    const dead = await request(app).get("/bridge/deliveries?state=dead-lettered");
    expect(dead.status).toBe(200);
    const mine = dead.body.value.filter((d: { notificationId: string }) => d.notificationId === res.body.id);
    expect(mine).toHaveLength(3);
    expect(mine[0].lastStatus).toBe(401);
    const replay = await request(app).post(`/bridge/deliveries/${mine[0].id}/replay`);
    expect(replay.status).toBe(202);
    expect(replay.body.state).toBe("pending");
    expect(await receivedDuring("carol", () => worker.runOnce())).toHaveLength(1);
    expect((await request(app).post(`/bridge/deliveries/${mine[0].id}/replay`)).status).toBe(409);
  });

  it("refuses to replay a dead letter whose notification has expired with a Graph-shaped 409, and sends nothing", async () => {
    const badKey = f.connectionString.replace(/SharedAccessKey=[^;]+/, "SharedAccessKey=d3Jvbmcta2V5");
    const res = await post({ ...RECORDED_RAW, expirationDateTime: new Date(RECORDED_NOW.getTime() + 60_000).toISOString() });
    await workerWith(badKey).runOnce();
    const dead = (await request(app).get("/bridge/deliveries?state=dead-lettered")).body.value.find((d: { notificationId: string }) => d.notificationId === res.body.id);
    advance(60_000);
    const replay = await request(app).post(`/bridge/deliveries/${dead.id}/replay`);
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe("Conflict");
    expect(replay.body.error.message).toMatch(/notification expired at .*cannot be replayed/);
    expect(await receivedDuring("carol", () => worker.runOnce())).toHaveLength(0);
    expect((await request(app).get(`/bridge/deliveries?state=dead-lettered`)).body.value.map((d: { id: string }) => d.id)).toContain(dead.id);
    expect((await request(app).post("/bridge/deliveries/no-such-delivery/replay")).status).toBe(404);
  });

  it("never sends a notification that expired while waiting", async () => {
    const res = await post({ ...RECORDED_RAW, expirationDateTime: new Date(RECORDED_NOW.getTime() + 60_000).toISOString() });
    advance(61_000);
    expect(await receivedDuring("carol", () => worker.runOnce())).toHaveLength(0);
    const s = await request(app).get(`/beta/me/notifications/${res.body.id}`);
    expect(s.body.deliveries.every((d: { state: string }) => d.state === "expired")).toBe(true);
  });

  describe("deferred iOS fallback", () => {
    const withFallback = {
      targetHostName: "notify.contoso.com", appNotificationId: "chat-1", priority: "High",
      payload: { rawContent: '{"chat":1}' }, targetPolicy: { platformTypes: ["iOS"] },
      fallbackPolicy: { endpointFallback: { platformTypes: ["iOS"], fallbackDelayInSeconds: 60, visualContent: { title: "New message" } } },
    };

    it("sends a background push now and the alert after the delay when nobody acknowledged", async () => {
      await post(withFallback);
      const now1 = await receivedDuring("carol", () => worker.runOnce());
      expect(now1).toHaveLength(1);
      expect(now1[0].headers["apns-push-type"]).toBe("background");
      advance(59_000);
      expect(await receivedDuring("carol", () => worker.runOnce())).toHaveLength(0);
      advance(1_000);
      const later = await receivedDuring("carol", () => worker.runOnce());
      expect(later).toHaveLength(1);
      expect(later[0].headers["apns-push-type"]).toBe("alert");
      expect(JSON.parse(later[0].body).aps.alert.title).toBe("New message");
    });

    it("cancels the alert when the app acknowledges with the token from the push", async () => {
      const res = await post(withFallback);
      const [bg] = await receivedDuring("carol", () => worker.runOnce());
      const ackToken = JSON.parse(bg.body).gnb.ackToken as string;
      expect((await request(app).post(`/beta/me/notifications/${res.body.id}/acknowledge`).send({ ackToken: "wrong" })).status).toBe(403);
      expect((await request(app).post(`/beta/me/notifications/${res.body.id}/acknowledge`).send({ ackToken })).status).toBe(204);
      advance(60_000);
      expect(await receivedDuring("carol", () => worker.runOnce())).toHaveLength(0);
      const s = await request(app).get(`/beta/me/notifications/${res.body.id}`);
      expect(s.body.deliveries.map((d: { purpose: string; state: string }) => `${d.purpose}:${d.state}`).sort()).toEqual(["ios-fallback-alert:cancelled", "primary:sent"]);
    });

    it("says, in the preview and the status, that an alert falling due after expiry is dropped, and sends only the background push", async () => {
      const expiring = { ...withFallback, expirationDateTime: new Date(RECORDED_NOW.getTime() + 30_000).toISOString() };
      const dropped = {
        state: "dropped",
        dueDateTime: new Date(RECORDED_NOW.getTime() + 60_000).toISOString(),
        expirationDateTime: expiring.expirationDateTime,
        reason: expect.stringMatching(/would fall due at .* at or after the notification's expiry .* never sent/),
      };
      const preview = await request(app).post("/bridge/preview").set("X-UNS-ID", "carol").send(expiring);
      expect(preview.body.sends.map((s: { purpose: string }) => s.purpose)).toEqual(["primary"]);
      expect(preview.body.iosFallbackAlert).toEqual(dropped);
      const res = await post(expiring);
      expect(await receivedDuring("carol", () => worker.runOnce())).toHaveLength(1);
      const s = await request(app).get(`/beta/me/notifications/${res.body.id}`);
      expect(s.body.iosFallbackAlert).toEqual(dropped);
      expect(s.body.deliveries).toHaveLength(1);
    });

    it("reports a scheduled alert as scheduled", async () => {
      const res = await post(withFallback);
      const s = await request(app).get(`/beta/me/notifications/${res.body.id}`);
      expect(s.body.iosFallbackAlert).toEqual({ state: "scheduled", dueDateTime: new Date(RECORDED_NOW.getTime() + 60_000).toISOString() });
    });

    it("skips only the devices that acknowledged", async () => {
      const res = await post(withFallback);
      const [bg] = await receivedDuring("carol", () => worker.runOnce());
      const ackToken = JSON.parse(bg.body).gnb.ackToken as string;
      await request(app).post(`/beta/me/notifications/${res.body.id}/acknowledge`).send({ ackToken, installationId: "carol-iphone" }).expect(204);
      advance(60_000);
      expect(await receivedDuring("carol", () => worker.runOnce())).toHaveLength(0);
      const s = await request(app).get(`/beta/me/notifications/${res.body.id}`);
      const alert = s.body.deliveries.find((d: { purpose: string }) => d.purpose === "ios-fallback-alert");
      expect(alert.state).toBe("sent");
      expect(alert.tagExpression).toBe("$UserId:{carol}");
    });
  });
});
