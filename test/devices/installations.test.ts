import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HubClient } from "../../src/delivery/hubs/hub-client.js";
import { createHubClient } from "../../src/delivery/hubs/hub-client.js";
import { expectGraphError } from "../security/http-client.js";
import { APP_ID } from "../auth/fake-entra.js";
import { ALICE, APP_B, BOB, HOST, OTHER_HOST, startClientBridge, type ClientBridge } from "./client-fixture.js";
import { channelsFor, PLATFORMS } from "./devices.js";

let b: ClientBridge;
let hub: HubClient;
beforeAll(async () => {
  b = await startClientBridge({ INSTALLATION_EXPIRY_DAYS: "30" });
  hub = createHubClient({ connectionString: b.bridge.connectionString!, hubName: "bridge", allowInsecureHttp: true });
});
afterAll(async () => {
  await b?.close();
});

const put = async (id: string, body: unknown, o?: { oid?: string; appId?: string }) => b.call(await b.userToken(o), "PUT", `/bridge/me/installations/${id}`, body);
const hubInstallation = async (id: string) => {
  try {
    return await hub.getInstallation(id);
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
};
const subscriptionIdOf = async (oid: string, host = HOST) => (await b.call(await b.userToken({ oid }), "POST", "/bridge/me/subscriptions", { targetHostName: host })).json.id as string;

describe("PUT /bridge/me/installations/{id}: iOS, Android, Windows and web devices of one user", () => {
  it("registers each platform as an NH installation whose userId is the user's subscription id", async () => {
    const channels = channelsFor("alice");
    for (const platform of PLATFORMS) {
      const a = await put(`alice-${platform}`, { targetHostName: HOST, platform, pushChannel: channels[platform] });
      expect(a.status, a.text).toBe(201);
      expect(a.headers.location).toMatch(new RegExp(`/bridge/me/installations/alice-${platform}$`));
      expect(a.headers.etag).toMatch(/^"[0-9a-z]+"$/);
    }
    const subscriptionId = await subscriptionIdOf(ALICE);
    for (const platform of PLATFORMS) {
      const nh = await hubInstallation(`alice-${platform}`);
      expect(nh).toMatchObject({ installationId: `alice-${platform}`, platform, pushChannel: channels[platform], userId: subscriptionId });
      expect(nh?.tags).toEqual([`gnb-app:${APP_ID}`, `gnb-host:${HOST}`]);
    }
    const list = await b.call(await b.userToken(), "GET", "/bridge/me/installations");
    expect(list.status).toBe(200);
    const value = list.json.value as Array<Record<string, unknown>>;
    expect(value.map((i) => i.id)).toEqual(PLATFORMS.map((p) => `alice-${p}`).sort());
    const web = value.find((i) => i.platform === "browser")!;
    expect(web.pushChannel).toEqual({ endpoint: channels.browser.endpoint, p256dh: channels.browser.p256dh }); // the auth secret is not echoed
    expect(web).toMatchObject({ targetHostName: HOST, subscriptionId, appId: APP_ID });
    const days = (Date.parse(web.expirationDateTime as string) - Date.parse(web.lastModifiedDateTime as string)) / 86_400_000;
    expect(days).toBe(30); // INSTALLATION_EXPIRY_DAYS
  });

  it("replaces on a repeated PUT (200, same creation time, new channel in the hub)", async () => {
    const first = await put("alice-replace", { targetHostName: HOST, platform: "apns", pushChannel: channelsFor("one").apns });
    const second = await put("alice-replace", { targetHostName: HOST, platform: "fcmv1", pushChannel: channelsFor("two").fcmv1 });
    expect(second.status, second.text).toBe(200);
    expect(second.json.createdDateTime).toBe(first.json.createdDateTime);
    expect(await hubInstallation("alice-replace")).toMatchObject({ platform: "fcmv1", pushChannel: channelsFor("two").fcmv1 });
  });

  it("reads one installation with its ETag, answers 304 to If-None-Match and 412 to a stale If-Match", async () => {
    await put("alice-etag", { targetHostName: HOST, platform: "wns", pushChannel: channelsFor("etag").wns });
    const token = await b.userToken();
    const one = await b.call(token, "GET", "/bridge/me/installations/alice-etag");
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ id: "alice-etag", platform: "wns" });
    const etag = String(one.headers.etag);
    const { send } = await import("../security/http-client.js");
    const notModified = await send(b.bridge.url, { method: "GET", path: "/bridge/me/installations/alice-etag", headers: { Authorization: `Bearer ${token}`, "If-None-Match": etag } });
    expect(notModified.status).toBe(304);
    const stale = await send(b.bridge.url, {
      method: "PUT", path: "/bridge/me/installations/alice-etag",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "If-Match": '"stale"' },
      body: JSON.stringify({ targetHostName: HOST, platform: "wns", pushChannel: channelsFor("other").wns }),
    });
    expectGraphError(stale, 412, "PreconditionFailed");
    expect((await hubInstallation("alice-etag"))?.pushChannel).toBe(channelsFor("etag").wns);
    const create = await send(b.bridge.url, {
      method: "PUT", path: "/bridge/me/installations/alice-etag",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", "If-None-Match": "*" },
      body: JSON.stringify({ targetHostName: HOST, platform: "wns", pushChannel: channelsFor("other").wns }),
    });
    expectGraphError(create, 412, "PreconditionFailed");
  });

  it("pages the list with $top and @odata.nextLink, and filters by targetHostName", async () => {
    const carol = "cccccccc-0000-4000-8000-0000000000ca";
    for (const [id, host] of [["c1", HOST], ["c2", HOST], ["c3", OTHER_HOST]]) {
      expect((await put(id, { targetHostName: host, platform: "apns", pushChannel: channelsFor(id).apns }, { oid: carol })).status).toBe(201);
    }
    const token = await b.userToken({ oid: carol });
    const first = await b.call(token, "GET", "/bridge/me/installations?$top=2");
    expect((first.json.value as Array<{ id: string }>).map((i) => i.id)).toEqual(["c1", "c2"]);
    const next = new URL(String(first.json["@odata.nextLink"]));
    const second = await b.call(token, "GET", `${next.pathname}${next.search}`);
    expect((second.json.value as Array<{ id: string }>).map((i) => i.id)).toEqual(["c3"]);
    expect(second.json["@odata.nextLink"]).toBeUndefined();
    const filtered = await b.call(token, "GET", `/bridge/me/installations?targetHostName=${OTHER_HOST}`);
    expect((filtered.json.value as Array<{ id: string }>).map((i) => i.id)).toEqual(["c3"]);
    expectGraphError(await b.call(token, "GET", "/bridge/me/installations?$top=0"), 400, "BadRequest");
    expect(expectGraphError(await b.call(token, "GET", "/bridge/me/installations?$skiptoken="), 400, "BadRequest").message).toMatch(/'\$skiptoken'/);
  });
});

describe("refusals write nothing to the hub", () => {
  it("answers 403 when another user takes an installation id, and the hub keeps the owner's", async () => {
    await put("alice-owned", { targetHostName: HOST, platform: "apns", pushChannel: channelsFor("owned").apns });
    const before = await hubInstallation("alice-owned");
    const a = await put("alice-owned", { targetHostName: HOST, platform: "apns", pushChannel: channelsFor("thief").apns }, { oid: BOB });
    expect(expectGraphError(a, 403, "Forbidden").message).toMatch(/another user/);
    expect(await hubInstallation("alice-owned")).toEqual(before);
    expectGraphError(await b.call(await b.userToken({ oid: BOB }), "GET", "/bridge/me/installations/alice-owned"), 404, "ResourceNotFound");
    expectGraphError(await b.call(await b.userToken({ oid: BOB }), "DELETE", "/bridge/me/installations/alice-owned"), 404, "ResourceNotFound");
    expect(await hubInstallation("alice-owned")).toEqual(before);
  });

  it("answers 403 to a client app not allowed for the host", async () => {
    const a = await put("app-b-device", { targetHostName: OTHER_HOST, platform: "apns", pushChannel: channelsFor("b").apns }, { appId: APP_B });
    expectGraphError(a, 403, "Forbidden");
    expect(await hubInstallation("app-b-device")).toBeUndefined();
    expect(await b.bridge.store!.subscriptions.getInstallation("app-b-device")).toBeUndefined();
  });

  const ok = channelsFor("bad");
  it.each([
    ["apns", "not-hex", "pushChannel"],
    ["fcmv1", "short", "pushChannel"],
    ["wns", "https://evil.example/channel", "pushChannel"],
    ["wns", "http://db5.notify.windows.com/?token=x", "pushChannel"],
    ["browser", { ...ok.browser, endpoint: "http://push.example/x" }, "pushChannel.endpoint"],
    ["browser", { ...ok.browser, p256dh: "AAAA" }, "pushChannel.p256dh"],
    ["browser", { ...ok.browser, auth: "AAAA" }, "pushChannel.auth"],
    ["symbian", "x", "platform"],
  ])("answers 400 for a malformed %s channel, naming '%s'", async (platform, pushChannel, field) => {
    const id = `bad-${platform}-${field.replace(/\W/g, "")}`;
    const a = await put(id, { targetHostName: HOST, platform, pushChannel });
    expect(expectGraphError(a, 400, "BadRequest").message.startsWith(`'${field}'`)).toBe(true);
    expect(await hubInstallation(id)).toBeUndefined();
  });

  it("answers 400 naming the field for a bad installation id or host", async () => {
    expect(expectGraphError(await put("bad%20id", { targetHostName: HOST, platform: "apns", pushChannel: ok.apns }), 400).message).toMatch(/^'installationId'/);
    expect(expectGraphError(await put("no-host", { platform: "apns", pushChannel: ok.apns }), 400).message).toMatch(/^'targetHostName'/);
    expect(await hubInstallation("no-host")).toBeUndefined();
  });

  it("answers 503 with Retry-After when the hub throttles, and stores nothing", async () => {
    await fetch(`${b.bridge.emulatorUrl}/_emulator/api/hubs/bridge/faults`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ throttle: { retryAfterSeconds: 7, count: 1 } }) });
    const a = await put("throttled-device", { targetHostName: HOST, platform: "apns", pushChannel: ok.apns });
    expectGraphError(a, 503, "ServiceUnavailable");
    expect(a.headers["retry-after"]).toBe("7");
    expect(await b.bridge.store!.subscriptions.getInstallation("throttled-device")).toBeUndefined();
    expect((await put("throttled-device", { targetHostName: HOST, platform: "apns", pushChannel: ok.apns })).status).toBe(201);
  });
});

describe("DELETE /bridge/me/installations/{id}", () => {
  it("removes the installation from the hub and the list (204), then 404", async () => {
    await put("alice-logout", { targetHostName: HOST, platform: "fcmv1", pushChannel: channelsFor("logout").fcmv1 });
    expect(await hubInstallation("alice-logout")).toBeDefined();
    const token = await b.userToken();
    const gone = await b.call(token, "DELETE", "/bridge/me/installations/alice-logout");
    expect(gone.status).toBe(204);
    expect(await hubInstallation("alice-logout")).toBeUndefined();
    expectGraphError(await b.call(token, "GET", "/bridge/me/installations/alice-logout"), 404, "ResourceNotFound");
    expectGraphError(await b.call(token, "DELETE", "/bridge/me/installations/alice-logout"), 404, "ResourceNotFound");
  });
});
