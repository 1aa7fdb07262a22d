import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { parseAppHostRules } from "../../src/auth/app-hosts.js";
import { createEntraVerifier } from "../../src/auth/entra-verifier.js";
import { DEFAULT_AUDIENCES } from "../../src/auth/types.js";
import { createHubClient } from "../../src/delivery/hubs/hub-client.js";
import { createHubSender } from "../../src/delivery/hubs/hub-sender.js";
import { createNotificationHubsStrategy } from "../../src/delivery/hubs/hubs-strategy.js";
import { createSendDelivery } from "../../src/delivery/hubs/send-delivery.js";
import { createHubInstallations } from "../../src/devices/hub-installations.js";
import type { RecordedDelivery } from "../../src/emulator/model.js";
import { createSyncPlanner } from "../../src/feed/plan-sync.js";
import { newTimeOrderedId } from "../../src/ids.js";
import { createOutboxWorker } from "../../src/outbox/worker.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { APP_ID, appClaims, delegatedClaims, makeSigningKey, mintToken, startFakeEntra, TENANT, type FakeEntra, type SigningKey } from "../auth/fake-entra.js";
import { listen, type Listening } from "../support/listen.js";
import { startHubsFixture, type HubsFixture } from "../support/hubs-fixture.js";

const HUB = "feed-hub";
const HOST = "notify.contoso.com";
const T0 = new Date("2026-12-05T09:00:00.000Z");

/**
 * Issue 14 end to end, over real sockets: the Entra stand-in signs the tokens, the bridge listens
 * on loopback, the real NH SDK sends to the emulator, the outbox worker runs by runOnce().
 */
describe("the user's feed with read/dismiss state synced across devices", () => {
  let entra: FakeEntra;
  let key: SigningKey;
  let hubs: HubsFixture;
  let file: string;
  let store: SqliteStore;
  let bridge: Listening;
  let clock = T0;
  const now = () => clock;
  const tick = () => (clock = new Date(clock.getTime() + 1000));
  let userToken: string;
  let otherUserToken: string;
  let appToken: string;
  let subscriptionId: string;

  async function startBridge() {
    store = new SqliteStore(file);
    await store.migrate();
    const verifier = createEntraVerifier({ tenantIds: [TENANT], audiences: [...DEFAULT_AUDIENCES], openIdMetadataUrl: entra.metadataUrl, now });
    const sender = createHubSender(createHubClient({ connectionString: hubs.connectionString, hubName: HUB, allowInsecureHttp: true }), { timeoutMs: 5000, now });
    const strategy = createNotificationHubsStrategy({ sender, tagTemplate: "$UserId:{unsId}", iosFallbackMode: "deferred", now, mode: { kind: "outbox", store }, feed: true });
    const hubClient = createHubClient({ connectionString: hubs.connectionString, hubName: HUB, allowInsecureHttp: true });
    const app = createApp({
      strategy, store, now, hubInstallations: createHubInstallations({ client: async () => hubClient, timeoutMs: 5000, now }), authenticate: (h) => verifier.verify(h), authMode: "entra",
      appHosts: parseAppHostRules(JSON.stringify({ [APP_ID]: [HOST] })),
      limits: { maxBodyBytes: 65_536, rateLimitPerMinute: 0, rateLimitStatus: 429, maxUrlLength: 4096 },
      feed: { planSync: createSyncPlanner({ tagTemplate: "$UserId:{unsId}", newId: newTimeOrderedId }) },
    });
    bridge = await listen(app);
    const worker = createOutboxWorker({ store, send: createSendDelivery({ store, sender }), now, owner: "feed-test", random: () => 0.5, maxAttempts: 3 });
    return worker;
  }
  let worker: Awaited<ReturnType<typeof startBridge>>;
  async function stopBridge() {
    await bridge.close();
    await store.close();
  }

  const call = async (path: string, o: { method?: string; token?: string; headers?: Record<string, string>; body?: unknown } = {}) => {
    const headers: Record<string, string> = { ...(o.token ? { Authorization: `Bearer ${o.token}` } : {}), ...(o.body !== undefined ? { "Content-Type": "application/json" } : {}), ...o.headers };
    const r = await fetch(path.startsWith("http") ? path : `${bridge.url}${path}`, { method: o.method ?? "GET", headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) });
    const text = await r.text();
    return { status: r.status, headers: r.headers, body: text && r.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
  };
  const feedPath = (suffix = "") => `/bridge/me/notifications${suffix}${suffix.includes("?") ? "&" : "?"}targetHostName=${HOST}`;
  const received = (installationId: string): RecordedDelivery[] => hubs.emulator.emulator.view.listDeliveries({ hub: HUB, installationId });
  async function deliveredDuring(fn: () => Promise<unknown>): Promise<RecordedDelivery[]> {
    const seen = new Set(hubs.emulator.emulator.view.listDeliveries({ hub: HUB }).map((d) => d.id));
    await fn();
    return hubs.emulator.emulator.view.listDeliveries({ hub: HUB }).filter((d) => !seen.has(d.id));
  }
  const syncRows = async (id: string) => ((await store.getNotification(id))?.deliveries ?? []).filter((d) => d.purpose === "feed-sync");

  beforeAll(async () => {
    entra = await startFakeEntra();
    key = await makeSigningKey("k1");
    entra.publish([key.publicJwk]);
    hubs = await startHubsFixture(HUB);
    file = join(mkdtempSync(join(tmpdir(), "gnb-feed-")), "bridge.db");
    worker = await startBridge();
    userToken = await mintToken(key, { now: T0, claims: delegatedClaims(), lifetimeSeconds: 86_400 });
    otherUserToken = await mintToken(key, { now: T0, claims: { ...delegatedClaims(), oid: "dddddddd-0000-4000-8000-00000000000d" }, lifetimeSeconds: 86_400 });
    appToken = await mintToken(key, { now: T0, claims: appClaims(), lifetimeSeconds: 86_400 });
    const sub = await call("/bridge/me/subscriptions", { method: "POST", token: userToken, body: { targetHostName: HOST } });
    expect(sub.status).toBe(201);
    subscriptionId = sub.body.id;
    // The devices register through the bridge's client API, as the apps do (issue 13).
    const devices = [
      { id: "alice-iphone", platform: "apns", pushChannel: "a1b2c3d4".repeat(8) },
      { id: "alice-pixel", platform: "fcmv1", pushChannel: `fcm:${"A".repeat(140)}` },
      { id: "alice-surface", platform: "wns", pushChannel: "https://db5.notify.windows.com/?token=alice" },
    ];
    for (const d of devices) {
      const put = await call(`/bridge/me/installations/${d.id}`, { method: "PUT", token: userToken, body: { targetHostName: HOST, platform: d.platform, pushChannel: d.pushChannel } });
      expect(put.status, JSON.stringify(put.body)).toBe(201);
    }
  });
  afterAll(async () => {
    await stopBridge();
    await hubs?.close();
    await entra?.close();
  });

  const ids: string[] = [];
  let etag = "";
  let deltaLink = "";

  it("lists the three notifications the app service posted, newest first, with the ids the POSTs answered", async () => {
    for (const n of [1, 2, 3]) {
      tick();
      const posted = await call("/beta/me/notifications", {
        method: "POST", token: appToken, headers: { "X-UNS-ID": subscriptionId },
        body: { targetHostName: HOST, appNotificationId: `order-${n}`, groupName: "orders", payload: { visualContent: { title: `Order ${n}`, body: "shipped" } }, targetPolicy: { platformTypes: ["windows", "ios", "android"] } },
      });
      expect(posted.status).toBe(201);
      ids.push(posted.body.id);
    }
    const sent = await deliveredDuring(() => worker.runOnce());
    expect(sent.map((d) => d.installationId).sort()).toEqual(["alice-iphone", "alice-iphone", "alice-iphone", "alice-pixel", "alice-pixel", "alice-pixel", "alice-surface", "alice-surface", "alice-surface"]);

    const start = await call(feedPath("/delta"), { token: userToken });
    expect(start.body.value.map((i: { id: string }) => i.id)).toEqual(ids);
    deltaLink = start.body["@odata.deltaLink"];

    const feed = await call(feedPath("?$count=true"), { token: userToken });
    expect(feed.status).toBe(200);
    expect(feed.body.value.map((i: { id: string }) => i.id)).toEqual([...ids].reverse());
    expect(feed.body["@odata.count"]).toBe(3);
    expect(feed.body.value[0]).toEqual({
      "@odata.etag": 'W/"1"', id: ids[2], appNotificationId: "order-3", targetHostName: HOST,
      payload: { visualContent: { title: "Order 3", body: "shipped" } }, priority: "None", groupName: "orders",
      createdDateTime: new Date(T0.getTime() + 3000).toISOString(), expirationDateTime: expect.any(String),
      lastModifiedDateTime: new Date(T0.getTime() + 3000).toISOString(), readState: "unread", userActionState: "noInteraction",
    });
    const one = await call(feedPath(`/${ids[1]}`), { token: userToken });
    expect(one.status).toBe(200);
    etag = one.headers.get("etag") ?? "";
    expect(etag).toBe('W/"1"');
    expect((await call(feedPath("/$count?readState=unread"), { token: userToken })).body).toBe("3");
  });

  it("refuses another user, bad states, unknown ids and a stale If-Match, and sends nothing for them", async () => {
    const before = await call(feedPath(`/${ids[1]}`), { token: userToken });
    const expectError = (r: { status: number; body: { error?: { code: string } } }, status: number) => {
      expect(r.status).toBe(status);
      expect(r.body.error?.code).toEqual(expect.any(String));
    };
    expectError(await call(feedPath(`/${ids[1]}`), { token: otherUserToken }), 404);
    expectError(await call(feedPath(`/${ids[1]}`), { method: "PATCH", token: otherUserToken, body: { userActionState: "dismissed" } }), 404);
    expect((await call(feedPath(""), { token: otherUserToken })).body.value).toEqual([]);
    expectError(await call(feedPath(`/${ids[1]}`), { method: "PATCH", token: userToken, body: { userActionState: "gone" } }), 400);
    expectError(await call(feedPath(`/${ids[1]}`), { method: "PATCH", token: userToken, body: { readState: "read", id: "x" } }), 400);
    expectError(await call(feedPath(`/${ids[1]}`), { method: "PATCH", token: userToken, body: {} }), 400);
    expectError(await call(feedPath("/no-such-id"), { method: "PATCH", token: userToken, body: { readState: "read" } }), 404);
    expectError(await call(feedPath(`/${ids[1]}`), { method: "PATCH", token: userToken, headers: { "If-Match": 'W/"7"' }, body: { readState: "read" } }), 412);
    expectError(await call(`/bridge/me/notifications/${ids[1]}?targetHostName=other.example`, { method: "PATCH", token: userToken, body: { readState: "read" } }), 403);
    const after = await call(feedPath(`/${ids[1]}`), { token: userToken });
    expect(after.body).toEqual(before.body);
    expect(await syncRows(ids[1])).toEqual([]);
    expect(await deliveredDuring(() => worker.runOnce())).toEqual([]);
  });

  it("syncs a dismissal on Android to the iPhone (background) and the Surface (raw), not back to Android", async () => {
    tick();
    const patched = await call(feedPath(`/${ids[1]}`), { method: "PATCH", token: userToken, headers: { "If-Match": etag, "X-Installation-Id": "alice-pixel" }, body: { userActionState: "dismissed" } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: ids[1], readState: "unread", userActionState: "dismissed", "@odata.etag": 'W/"2"', lastModifiedDateTime: clock.toISOString() });
    expect(patched.headers.get("etag")).toBe('W/"2"');

    const sent = await deliveredDuring(() => worker.runOnce());
    expect(sent.map((d) => d.installationId).sort()).toEqual(["alice-iphone", "alice-surface"]);
    const ios = sent.find((d) => d.installationId === "alice-iphone")!;
    expect(ios.headers).toMatchObject({ "apns-push-type": "background", "apns-priority": "5" });
    const iosBody = JSON.parse(ios.body);
    expect(iosBody.aps).toEqual({ "content-available": 1 });
    expect(iosBody.gnbSync.changes).toEqual([expect.objectContaining({ id: ids[1], appNotificationId: "order-2", userActionState: "dismissed", readState: "unread", replaceKeys: { apnsCollapseId: "order-2" } })]);
    const wns = sent.find((d) => d.installationId === "alice-surface")!;
    expect(wns.headers["X-WNS-Type"]).toBe("wns/raw");
    const wnsBody = JSON.parse(wns.body);
    expect(wnsBody.gnbSync.changes[0]).toMatchObject({ id: ids[1], userActionState: "dismissed", replaceKeys: { wnsTag: expect.any(String), wnsGroup: "orders" } });
    expect(received("alice-pixel").filter((d) => d.body.includes("gnbSync"))).toEqual([]);

    const page = await (await fetch(`${hubs.emulator.url}/_emulator/deliveries?view=1&hub=${HUB}&installationId=alice-iphone`)).json() as { deliveries: Array<{ body: string; rendered: { feedState?: unknown; feedSync?: unknown } }> };
    expect(page.deliveries.find((d) => !d.rendered.feedSync && d.body.includes(ids[1]))?.rendered.feedState).toEqual({ readState: "unread", userActionState: "dismissed" });
    expect(page.deliveries.find((d) => d.rendered.feedSync)?.rendered.feedSync).toEqual([expect.objectContaining({ id: ids[1], userActionState: "dismissed" })]);

    const feed = await call(feedPath(""), { token: userToken });
    expect(feed.body.value.map((i: { id: string; userActionState: string }) => [i.id, i.userActionState])).toEqual([[ids[2], "noInteraction"], [ids[1], "dismissed"], [ids[0], "noInteraction"]]);
    const delta = await call(deltaLink, { token: userToken });
    expect(delta.body.value.map((i: { id: string }) => i.id)).toEqual([ids[1]]);
    expect(delta.body["@odata.deltaLink"]).toEqual(expect.stringContaining("$deltatoken="));
    expect((await call(delta.body["@odata.deltaLink"], { token: userToken })).body.value).toEqual([]);
  });

  it("lets the app service read the feed with X-UNS-ID, and marks all read in one call", async () => {
    const asApp = await call(feedPath("?readState=unread"), { token: appToken, headers: { "X-UNS-ID": subscriptionId } });
    expect(asApp.body.value).toHaveLength(3);
    const marked = await call("/bridge/me/notifications/markRead", { method: "POST", token: userToken, headers: { "X-Installation-Id": "alice-iphone" }, body: { targetHostName: HOST, all: true } });
    expect(marked.status).toBe(200);
    expect(marked.body.value.map((i: { readState: string }) => i.readState)).toEqual(["read", "read", "read"]);
    expect((await call(feedPath("/$count?readState=unread"), { token: userToken })).body).toBe("0");
    const sent = await deliveredDuring(() => worker.runOnce());
    expect(sent.map((d) => d.installationId).sort()).toEqual(["alice-pixel", "alice-surface"]);
    expect(JSON.parse(JSON.parse(sent.find((d) => d.platform === "fcmv1")!.body).message.data.gnbSync).changes).toHaveLength(3);
  });

  it("keeps a sync push in the outbox across a restart", async () => {
    tick();
    const patched = await call(feedPath(`/${ids[0]}`), { method: "PATCH", token: userToken, headers: { "X-Installation-Id": "alice-surface" }, body: { userActionState: "activated" } });
    expect(patched.status).toBe(200);
    await stopBridge();
    worker = await startBridge();
    const sent = await deliveredDuring(() => worker.runOnce());
    expect(sent.map((d) => d.installationId).sort()).toEqual(["alice-iphone", "alice-pixel"]);
    expect(JSON.parse(sent[0].platform === "apns" ? sent[0].body : sent[1].body).gnbSync.changes[0]).toMatchObject({ id: ids[0], userActionState: "activated" });
  });
});
