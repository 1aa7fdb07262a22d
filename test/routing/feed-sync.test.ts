import request from "supertest";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { DeliveryStrategy } from "../../src/delivery/strategy.js";
import type { RecordedDelivery } from "../../src/emulator/model.js";
import type { RunningEmulator } from "../../src/emulator/server.js";
import { aLegacyNotification } from "../support/test-app.js";
import { hub, routedBridge, startHubs, type RoutedBridge } from "./routing-fixture.js";

const ON_B = "notify.contoso.com";
const DRY = "dry.contoso.com";
const ON_GRAPH = "graph.contoso.com";
const FILE = {
  destinations: { "hub-a": hub("hub-a"), "hub-b": hub("hub-b"), nowhere: { type: "dry-run" }, legacy: { type: "graph" } },
  routes: [
    // The user's devices are registered on both hubs (main and shadow), so a push sent to the wrong one would show.
    { match: { targetHostName: ON_B }, destination: "hub-b", shadow: "hub-a" },
    { match: { targetHostName: DRY }, destination: "nowhere" },
    { match: { targetHostName: ON_GRAPH }, destination: "legacy", shadow: "hub-b" },
  ],
  default: "hub-a",
};
const USER = "alice";
const DEVICES = [
  { id: "alice-iphone", platform: "apns", pushChannel: "a1b2c3d4".repeat(8) },
  { id: "alice-pixel", platform: "fcmv1", pushChannel: `fcm:${"A".repeat(140)}` },
];

/** Microsoft Graph as the routing's graph destination sees it: accepts everything. */
const graph: DeliveryStrategy = {
  name: "graph",
  submit: async () => ({ status: 201, headers: {}, body: { id: "graph-id" } }),
  checkReady: async () => undefined,
};

/**
 * Feed sync pushes under ROUTING_FILE, through the HTTP API: two hubs on one loopback emulator,
 * devices registered with the client API, the real SQLite store and the outbox worker (runOnce).
 */
describe("feed sync pushes with a routing file", () => {
  let emulator: RunningEmulator;
  let env: Record<string, string>;
  let b: RoutedBridge;

  const asUser = (r: request.Test) => r.set("X-Bridge-User", USER);
  const drain = async () => {
    while ((await b.worker.runOnce()) > 0);
  };
  const recorded = (): Record<string, RecordedDelivery[]> => ({ "hub-a": emulator.emulator.view.listDeliveries({ hub: "hub-a" }), "hub-b": emulator.emulator.view.listDeliveries({ hub: "hub-b" }) });
  /** What each hub delivered while `fn` ran, as "installation: purpose". */
  async function deliveredDuring(fn: () => Promise<unknown>): Promise<Record<string, string[]>> {
    const before = recorded();
    await fn();
    const after = recorded();
    const kind = (d: RecordedDelivery) => `${d.installationId}: ${d.body.includes("gnbSync") ? "sync" : "notification"}`;
    return Object.fromEntries(Object.entries(after).map(([h, ds]) => [h, ds.slice(before[h].length).map(kind).sort()]));
  }
  /** The user's subscription for `host`, their two devices registered for it, and one notification the app service posts. */
  async function notificationFor(host: string): Promise<{ subscriptionId: string; id: string }> {
    const sub = await asUser(request(b.app).post("/bridge/me/subscriptions")).send({ targetHostName: host });
    expect(sub.status, JSON.stringify(sub.body)).toBe(201);
    for (const d of DEVICES) {
      const put = await asUser(request(b.app).put(`/bridge/me/installations/${d.id}`)).send({ targetHostName: host, platform: d.platform, pushChannel: d.pushChannel });
      expect(put.status, JSON.stringify(put.body)).toBe(201);
    }
    const posted = await request(b.app).post("/beta/me/notifications").set("X-UNS-ID", sub.body.id)
      .send(aLegacyNotification({ targetHostName: host, appNotificationId: "order-7", targetPolicy: { platformTypes: ["ios", "android"] } }));
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const [item] = (await asUser(request(b.app).get(`/bridge/me/notifications?targetHostName=${host}`))).body.value;
    return { subscriptionId: sub.body.id, id: item.id };
  }
  const dismissFromPixel = (host: string, id: string) =>
    asUser(request(b.app).patch(`/bridge/me/notifications/${id}?targetHostName=${host}`)).set("X-Installation-Id", "alice-pixel").send({ userActionState: "dismissed" });
  const syncRows = async (id: string) => ((await b.store.getNotification(id))?.deliveries ?? []).filter((d) => d.purpose === "feed-sync");

  beforeAll(async () => {
    ({ emulator, env } = await startHubs());
  });
  afterAll(() => emulator.close());
  afterEach(() => b.close());

  it("sends the sync push of an item routed to the non-default hub to that hub only, for the user's other devices", async () => {
    b = await routedBridge({ env, file: FILE, feed: true, graph });
    const { id } = await notificationFor(ON_B);
    expect(await deliveredDuring(drain)).toEqual({
      "hub-a": ["alice-iphone: notification", "alice-pixel: notification"], // the shadow copy
      "hub-b": ["alice-iphone: notification", "alice-pixel: notification"],
    });

    const patched = await dismissFromPixel(ON_B, id);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, userActionState: "dismissed" });
    const planned = (await syncRows(id)).map((d) => [d.platform, d.destination, d.role, d.send.destination]);
    expect(planned.sort()).toEqual([["android", "hub-b", "main", "hub-b"], ["ios", "hub-b", "main", "hub-b"]]);
    expect(await deliveredDuring(drain)).toEqual({ "hub-a": [], "hub-b": ["alice-iphone: sync"] });
    const push = emulator.emulator.view.listDeliveries({ hub: "hub-b", installationId: "alice-iphone" }).at(-1)!;
    expect(JSON.parse(push.body).gnbSync.changes).toEqual([expect.objectContaining({ id, userActionState: "dismissed" })]);
  });

  it("queues no sync push for an item of a dry-run route, and still changes it and reports it in delta", async () => {
    b = await routedBridge({ env, file: FILE, feed: true, graph });
    const { id } = await notificationFor(DRY);
    const delta = await asUser(request(b.app).get(`/bridge/me/notifications/delta?targetHostName=${DRY}`));
    expect(await deliveredDuring(drain)).toEqual({ "hub-a": [], "hub-b": [] });

    const patched = await dismissFromPixel(DRY, id);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id, userActionState: "dismissed", "@odata.etag": 'W/"2"' });
    expect(await syncRows(id)).toEqual([]);
    expect(await deliveredDuring(drain)).toEqual({ "hub-a": [], "hub-b": [] });
    const changes = await asUser(request(b.app).get(new URL(delta.body["@odata.deltaLink"]).pathname + new URL(delta.body["@odata.deltaLink"]).search));
    expect(changes.body.value).toEqual([expect.objectContaining({ id, userActionState: "dismissed" })]);
  });

  it("queues no sync push for an item forwarded to Graph, not even to its shadow hub", async () => {
    b = await routedBridge({ env, file: FILE, feed: true, graph });
    const { id } = await notificationFor(ON_GRAPH);
    expect(await deliveredDuring(drain)).toEqual({ "hub-a": [], "hub-b": ["alice-iphone: notification", "alice-pixel: notification"] });

    const patched = await dismissFromPixel(ON_GRAPH, id);
    expect(patched.status).toBe(200);
    expect(await syncRows(id)).toEqual([]);
    expect(await deliveredDuring(drain)).toEqual({ "hub-a": [], "hub-b": [] });
  });
});
