import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/server.js";
import { aLegacyNotification } from "../support/test-app.js";
import { hub, routedBridge, startHubs, type RoutedBridge } from "./routing-fixture.js";

const FILE = {
  destinations: { "hub-a": hub("hub-a"), "hub-b": hub("hub-b"), nowhere: { type: "dry-run" } },
  routes: [
    { match: { targetHostName: "a.example.com" }, destination: "hub-a" },
    { match: { targetHostName: "b.example.com" }, destination: "hub-b" },
    { match: { targetHostName: "c.example.com" }, destination: "hub-a", canary: { destination: "hub-b", percent: 50 } },
    { match: { targetHostName: "e.example.com" }, destination: "hub-a", shadow: "hub-b" },
    { match: { targetHostName: "d.example.com" }, destination: "nowhere" },
  ],
  default: "hub-a",
};
const USERS = Array.from({ length: 40 }, (_, i) => `user-${i}`);

/**
 * Issue 15 end to end: two hubs on one loopback emulator, reached through the real SDK, the real
 * SQLite store and the outbox worker (runOnce, no sleeps).
 */
describe("routing to several hubs", () => {
  let emulator: RunningEmulator;
  let env: Record<string, string>;
  let b: RoutedBridge;
  const received = (hubName: string, userId?: string) => emulator.emulator.view.listDeliveries({ hub: hubName, ...(userId ? { userId } : {}) });
  const post = (host: string, unsId: string) => request(b.app).post("/beta/me/notifications").set("X-UNS-ID", unsId).send(aLegacyNotification({ targetHostName: host, appNotificationId: undefined, targetPolicy: { platformTypes: ["android"] } }));
  const drain = async () => {
    while ((await b.worker.runOnce()) > 0);
  };

  beforeAll(async () => {
    const hubs = await startHubs();
    ({ emulator, env } = hubs);
    for (const u of USERS) for (const h of ["hub-a", "hub-b"]) await hubs.register(h, u);
  });
  afterAll(() => emulator.close());
  afterEach(async () => {
    emulator.emulator.setFaults("hub-b", undefined);
    await b.close();
  });
  const start = async (file: object = FILE) => {
    b = await routedBridge({ env, file });
  };

  it("delivers each host's notifications to its own hub only, and records route and destination", async () => {
    await start();
    const [a0, b0] = [received("hub-a", "user-1").length, received("hub-b", "user-1").length];
    const ra = await post("a.example.com", "user-1");
    const rb = await post("b.example.com", "user-1");
    expect([ra.status, rb.status]).toEqual([201, 201]);
    await drain();
    expect(received("hub-a", "user-1").length - a0).toBe(1);
    expect(received("hub-b", "user-1").length - b0).toBe(1);
    const status = await request(b.app).get(`/beta/me/notifications/${rb.body.id}`);
    expect(status.body.routing).toEqual({ route: "host:b.example.com", destination: "hub-b", type: "hubs" });
    expect(status.body.deliveries).toEqual([expect.objectContaining({ platform: "android", destination: "hub-b", role: "main", state: "sent" })]);
  });

  it("splits a 50 % canary over 40 users between 20 % and 80 %, the same user always on the same hub", async () => {
    await start();
    /** Posts one notification per user, delivers them, and says which hub each user's device got it on. */
    const round = async (): Promise<string[]> => {
      const before = USERS.map((u) => ({ a: received("hub-a", u).length, b: received("hub-b", u).length }));
      for (const u of USERS) expect((await post("c.example.com", u)).status).toBe(201);
      await drain();
      return USERS.map((u, i) => {
        const got = { a: received("hub-a", u).length - before[i].a, b: received("hub-b", u).length - before[i].b };
        expect(got.a + got.b).toBe(1); // one hub, never both
        return got.a ? "hub-a" : "hub-b";
      });
    };
    const first = await round();
    const onB = first.filter((h) => h === "hub-b").length;
    expect(onB).toBeGreaterThanOrEqual(8);
    expect(onB).toBeLessThanOrEqual(32);
    expect(await round()).toEqual(first);
  });

  it("delivers a shadow route to both hubs; a failing shadow hub changes nothing for the caller or the main hub", async () => {
    await start();
    const before = { a: received("hub-a", "user-2").length, b: received("hub-b", "user-2").length };
    const ok = await post("e.example.com", "user-2");
    expect(ok.status).toBe(201);
    await drain();
    expect(received("hub-a", "user-2").length - before.a).toBe(1);
    expect(received("hub-b", "user-2").length - before.b).toBe(1);

    emulator.emulator.setFaults("hub-b", { serverError: { status: 503 } });
    const failing = await post("e.example.com", "user-2");
    expect(failing.status).toBe(201);
    await b.worker.runOnce();
    expect(received("hub-a", "user-2").length - before.a).toBe(2);
    expect(received("hub-b", "user-2").length - before.b).toBe(1);
    const status = await request(b.app).get(`/beta/me/notifications/${failing.body.id}`);
    const byRole = Object.fromEntries(status.body.deliveries.map((d: { role: string }) => [d.role, d]));
    expect(byRole.main).toMatchObject({ destination: "hub-a", state: "sent" });
    expect(byRole.shadow).toMatchObject({ destination: "hub-b", state: "retrying", lastStatus: 503 });
    expect(status.body.routing).toMatchObject({ route: "host:e.example.com", destination: "hub-a", shadow: "hub-b" });
    const ready = await request(b.app).get("/bridge/routing");
    expect(ready.body.counts.destinations["hub-b"]).toEqual({ shadow: 2 });
  });

  it("answers a dry-run route 201, stores and shows it, and sends nothing", async () => {
    await start();
    const total = () => received("hub-a").length + received("hub-b").length;
    const before = total();
    const res = await post("d.example.com", "user-3");
    expect(res.status).toBe(201);
    await drain();
    expect(total()).toBe(before);
    const status = await request(b.app).get(`/beta/me/notifications/${res.body.id}`);
    expect(status.status).toBe(200);
    expect(status.body.routing).toEqual({ route: "host:d.example.com", destination: "nowhere", type: "dry-run" });
    expect(status.body.deliveries).toEqual([]);
    const preview = await request(b.app).post("/bridge/preview").set("X-UNS-ID", "user-3").send(aLegacyNotification({ targetHostName: "d.example.com" }));
    expect(preview.body.routing).toMatchObject({ destination: "nowhere", type: "dry-run" });
    expect(preview.body.sends.length).toBeGreaterThan(0);
    expect(preview.body.sent).toBe(false);
  });
});
