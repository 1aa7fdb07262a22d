import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/server.js";
import { aLegacyNotification } from "../support/test-app.js";
import { hub, routedBridge, startHubs, type RoutedBridge } from "./routing-fixture.js";

const ON_A = { destinations: { "hub-a": hub("hub-a"), "hub-b": hub("hub-b") }, routes: [{ match: { targetHostName: "c.example.com" }, destination: "hub-a" }], default: "hub-b" };
const ON_B = { destinations: { "hub-b": hub("hub-b") }, routes: [{ match: { targetHostName: "c.example.com" }, destination: "hub-b" }], default: "hub-b" };

/** Reload (POST /bridge/routing/reload; SIGHUP runs the same reload, see test/process/routing-reload.test.ts). */
describe("reloading the routing file", () => {
  let emulator: RunningEmulator;
  let env: Record<string, string>;
  let b: RoutedBridge;
  const count = (hubName: string) => emulator.emulator.view.listDeliveries({ hub: hubName, userId: "ravi" }).length;
  const post = () => request(b.app).post("/beta/me/notifications").set("X-UNS-ID", "ravi")
    .send(aLegacyNotification({ targetHostName: "c.example.com", appNotificationId: undefined, targetPolicy: { platformTypes: ["android"] } }));

  beforeAll(async () => {
    const hubs = await startHubs();
    ({ emulator, env } = hubs);
    for (const h of ["hub-a", "hub-b"]) await hubs.register(h, "ravi");
  });
  afterAll(() => emulator.close());
  afterEach(() => b.close());

  it("routes new notifications by the new file; those accepted before go where they were routed, even to a removed hub", async () => {
    b = await routedBridge({ env, file: ON_A });
    const before = { a: count("hub-a"), b: count("hub-b") };
    const early = await post();
    b.write(ON_B); // hub-a is gone from the file
    const reload = await request(b.app).post("/bridge/routing/reload");
    expect(reload.status).toBe(200);
    expect(reload.body.destinations).toEqual({ "hub-b": expect.objectContaining({ hubName: "hub-b", connectionString: "env:HUB_B_CONNECTION_STRING" }) });
    const late = await post();
    while ((await b.worker.runOnce()) > 0);
    expect({ a: count("hub-a") - before.a, b: count("hub-b") - before.b }).toEqual({ a: 1, b: 1 });
    const [e, l] = await Promise.all([early, late].map((r) => request(b.app).get(`/beta/me/notifications/${r.body.id}`)));
    expect(e.body.deliveries[0]).toMatchObject({ destination: "hub-a", state: "sent" });
    expect(l.body.deliveries[0]).toMatchObject({ destination: "hub-b", state: "sent" });
  });

  it("refuses an invalid file with 422 naming the problem, counts it, and keeps the routing in force", async () => {
    b = await routedBridge({ env, file: ON_A });
    const loaded = (await request(b.app).get("/bridge/routing")).body;
    b.write({ ...ON_A, routes: [{ match: { targetHostName: "c.example.com" }, destination: "hub-z" }] });
    const refused = await request(b.app).post("/bridge/routing/reload");
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain("routes[0].destination: unknown destination 'hub-z'");
    const after = (await request(b.app).get("/bridge/routing")).body;
    expect(after.loadedAt).toBe(loaded.loadedAt);
    expect(after.routes).toEqual(loaded.routes);
    expect(await b.registry.metrics()).toContain('gnb_routing_reloads_total{result="refused"} 1');
    const before = count("hub-a");
    expect((await post()).status).toBe(201);
    while ((await b.worker.runOnce()) > 0);
    expect(count("hub-a")).toBe(before + 1);
  });

  it("shows the routing in force without secrets, with counts per route and destination", async () => {
    b = await routedBridge({ env, file: ON_A });
    await post();
    const view = (await request(b.app).get("/bridge/routing")).body;
    expect(JSON.stringify(view)).not.toContain("SharedAccessKey=");
    expect(view).toMatchObject({
      file: b.file, default: "hub-b",
      destinations: { "hub-a": { type: "hubs", hubName: "hub-a", connectionString: "env:HUB_A_CONNECTION_STRING", endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/) } },
      routes: [{ name: "host:c.example.com", match: { targetHostName: "c.example.com" }, destination: "hub-a" }],
      counts: { routes: { "host:c.example.com": { "hub-a": 1 } }, destinations: { "hub-a": { main: 1 } } },
    });
    expect(Date.parse(view.loadedAt)).not.toBeNaN();
  });
});
