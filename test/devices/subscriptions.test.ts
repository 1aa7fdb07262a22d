import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ID, TENANT } from "../auth/fake-entra.js";
import { expectGraphError } from "../security/http-client.js";
import { ALICE, APP_B, BOB, HOST, OTHER_HOST, startClientBridge, type ClientBridge } from "./client-fixture.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let b: ClientBridge;
beforeAll(async () => {
  b = await startClientBridge();
});
afterAll(async () => {
  await b?.close();
});

const subscribe = async (body: unknown, o?: { oid?: string; appId?: string }) => b.call(await b.userToken(o), "POST", "/bridge/me/subscriptions", body);

describe("POST /bridge/me/subscriptions (delegated Entra token, real verifier, real sockets)", () => {
  it("gives the user a random id for the host: 201 the first time, 200 with the same id after", async () => {
    const first = await subscribe({ targetHostName: HOST });
    expect(first.status, first.text).toBe(201);
    expect(first.json).toEqual({ id: expect.stringMatching(UUID), targetHostName: HOST, createdDateTime: expect.any(String) });
    expect(first.json.id).not.toContain(ALICE);
    const again = await subscribe({ targetHostName: "Notify.Contoso.com." });
    expect(again.status).toBe(200);
    expect(again.json).toEqual(first.json);
    const fromOtherApp = await subscribe({ targetHostName: HOST }, { appId: APP_B });
    expect(fromOtherApp.json.id).toBe(first.json.id); // one id per tenant + user + host, whichever client app asks
    const otherHost = await subscribe({ targetHostName: OTHER_HOST });
    expect(otherHost.status).toBe(201);
    expect(otherHost.json.id).not.toBe(first.json.id);
    const bob = await subscribe({ targetHostName: HOST }, { oid: BOB });
    expect(bob.json.id).not.toBe(first.json.id);
  });

  it("lets a user claim a legacy UNS ID once; the same claim again is 200; another user gets 409", async () => {
    const legacy = "7c5d3a2e-legacy-uns-id-of-alice";
    const claimed = await subscribe({ targetHostName: HOST, legacyUnsId: legacy });
    expect(claimed.status, claimed.text).toBe(201);
    expect(claimed.json).toMatchObject({ id: legacy, targetHostName: HOST });
    expect((await subscribe({ targetHostName: HOST, legacyUnsId: legacy })).status).toBe(200);
    expectGraphError(await subscribe({ targetHostName: HOST, legacyUnsId: legacy }, { oid: BOB }), 409, "Conflict");
    expectGraphError(await subscribe({ targetHostName: OTHER_HOST, legacyUnsId: legacy }), 409, "Conflict");
    const stored = await b.bridge.store!.subscriptions.getSubscription(legacy);
    expect(stored).toMatchObject({ userObjectId: ALICE, kind: "legacy" });
  });

  it("answers 403 to a client app that may not use the host, and writes nothing", async () => {
    const user = "cccccccc-0000-4000-8000-0000000000c1";
    const a = await subscribe({ targetHostName: OTHER_HOST }, { oid: user, appId: APP_B });
    expect(expectGraphError(a, 403, "Forbidden").message).toMatch(/targetHostName/);
    expect(await b.bridge.store!.subscriptions.findUserSubscription({ tenantId: TENANT, userObjectId: user, targetHostName: OTHER_HOST })).toBeUndefined();
  });

  it("answers 403 to an application token: the API acts for a signed-in user", async () => {
    const a = await b.call(await b.tokenFor(APP_ID), "POST", "/bridge/me/subscriptions", { targetHostName: HOST });
    expect(expectGraphError(a, 403, "Forbidden").message).toMatch(/delegated token/);
  });

  it("answers 401 with Graph's challenge without a token, for every /bridge/me path", async () => {
    for (const path of ["/bridge/me/subscriptions", "/bridge/me/nothing-here"]) {
      const a = await b.call(undefined, "POST", path, { targetHostName: HOST });
      expectGraphError(a, 401, "InvalidAuthenticationToken");
      expect(a.headers["www-authenticate"]).toMatch(/^Bearer realm=""/);
    }
  });

  it.each([
    ["no host", {}, /'targetHostName'/],
    ["a host that is no host name", { targetHostName: "not a host" }, /'targetHostName'/],
    ["an empty legacy id", { targetHostName: HOST, legacyUnsId: "" }, /'legacyUnsId'/],
    ["a legacy id over 1024 characters", { targetHostName: HOST, legacyUnsId: "x".repeat(1025) }, /'legacyUnsId'/],
    ["a legacy id with a control character", { targetHostName: HOST, legacyUnsId: "bad\u0001id" }, /'legacyUnsId'/],
    ["an unknown property", { targetHostName: HOST, colour: "blue" }, /'colour'/],
    ["an array", [{ targetHostName: HOST }], /JSON object/],
  ])("answers 400 naming the field for %s", async (_name, body, field) => {
    expect(expectGraphError(await subscribe(body), 400, "BadRequest").message).toMatch(field);
  });

  it("answers 405 to other methods and a Graph 404 to unknown paths under /bridge/me", async () => {
    const token = await b.userToken();
    expectGraphError(await b.call(token, "DELETE", "/bridge/me/subscriptions"), 405, "MethodNotAllowed");
    expectGraphError(await b.call(token, "PATCH", "/bridge/me/subscriptions/some-id", {}), 405, "MethodNotAllowed");
    expectGraphError(await b.call(token, "GET", "/bridge/me/nothing-here"), 404, "ResourceNotFound");
  });
});

describe("GET /bridge/me/subscriptions[/{id}]: the user's own ids, for the hosts the app may use", () => {
  const carol = "cccccccc-0000-4000-8000-0000000000c9";
  const dave = "dddddddd-0000-4000-8000-0000000000d9";
  const get = async (path: string, o?: { oid?: string; appId?: string }) => b.call(await b.userToken(o), "GET", path);

  it("lists minted and claimed ids by id in pages with @odata.nextLink, and reads one", async () => {
    const minted = (await subscribe({ targetHostName: HOST }, { oid: carol })).json;
    const other = (await subscribe({ targetHostName: OTHER_HOST }, { oid: carol })).json;
    const legacy = (await subscribe({ targetHostName: HOST, legacyUnsId: "carol-legacy-uns-id" }, { oid: carol })).json;
    await subscribe({ targetHostName: HOST }, { oid: dave });
    const all = await get("/bridge/me/subscriptions", { oid: carol });
    expect(all.status, all.text).toBe(200);
    expect(all.headers["content-type"]).toMatch(/^application\/json/);
    const byId = [minted, other, legacy].sort((x, y) => (String(x.id) < String(y.id) ? -1 : 1));
    expect(all.json).toEqual({ value: byId });

    const first = await get("/bridge/me/subscriptions?$top=2", { oid: carol });
    expect(first.json.value).toEqual(byId.slice(0, 2));
    const next = new URL(String(first.json["@odata.nextLink"]));
    expect(next.pathname).toBe("/bridge/me/subscriptions");
    const second = await get(`${next.pathname}${next.search}`, { oid: carol });
    expect(second.json).toEqual({ value: byId.slice(2) });

    const forHost = await get(`/bridge/me/subscriptions?targetHostName=${OTHER_HOST.toUpperCase()}`, { oid: carol });
    expect(forHost.json).toEqual({ value: [other] });

    const one = await get(`/bridge/me/subscriptions/${encodeURIComponent(String(legacy.id))}`, { oid: carol });
    expect(one.status).toBe(200);
    expect(one.json).toEqual(legacy);
  });

  it("shows another user's id, or one for a host the app may not use, as not there", async () => {
    const daves = (await subscribe({ targetHostName: HOST }, { oid: dave })).json;
    expectGraphError(await get(`/bridge/me/subscriptions/${String(daves.id)}`, { oid: carol }), 404, "ResourceNotFound");
    const carolsOther = (await subscribe({ targetHostName: OTHER_HOST }, { oid: carol })).json;
    // APP_B may use HOST only: it neither lists nor reads Carol's id for OTHER_HOST.
    expectGraphError(await get(`/bridge/me/subscriptions/${String(carolsOther.id)}`, { oid: carol, appId: APP_B }), 404, "ResourceNotFound");
    const listed = await get("/bridge/me/subscriptions", { oid: carol, appId: APP_B });
    expect(listed.status).toBe(200);
    expect((listed.json.value as Array<{ targetHostName: string }>).map((s) => s.targetHostName)).not.toContain(OTHER_HOST);
    expect((listed.json.value as unknown[]).length).toBeGreaterThan(0);
    expect(expectGraphError(await get(`/bridge/me/subscriptions?targetHostName=${OTHER_HOST}`, { oid: carol, appId: APP_B }), 403, "Forbidden").message).toMatch(/targetHostName/);
    expectGraphError(await get("/bridge/me/subscriptions/no-such-id", { oid: carol }), 404, "ResourceNotFound");
  });

  it.each([
    ["$top=0", /'\$top'/],
    ["$top=101", /'\$top'/],
    ["$top=two", /'\$top'/],
    ["targetHostName=not%20a%20host", /'targetHostName'/],
    ["$skiptoken=", /'\$skiptoken'/],
  ])("answers 400 to ?%s", async (query, field) => {
    expect(expectGraphError(await get(`/bridge/me/subscriptions?${query}`, { oid: carol }), 400, "BadRequest").message).toMatch(field);
  });
});

describe("AUTH_MODE=none (development on loopback)", () => {
  it("names the user with X-Bridge-User, and answers 401 without it", async () => {
    const { startBridge } = await import("../../src/bridge.js");
    const { loadConfig } = await import("../../src/config.js");
    const { createLogger } = await import("../../src/observability/logger.js");
    const dev = await startBridge(loadConfig({ PORT: "0", EMULATOR_PORT: "0", DATABASE_URL: "sqlite::memory:", LOG_LEVEL: "silent" }), { logger: createLogger({ level: "silent" }) });
    try {
      const post = (headers: Record<string, string>) =>
        fetch(`${dev.url}/bridge/me/subscriptions`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify({ targetHostName: HOST }) });
      const first = await post({ "X-Bridge-User": "demo-user" });
      expect(first.status).toBe(201);
      const again = await post({ "X-Bridge-User": "demo-user" });
      expect(again.status).toBe(200);
      expect(((await again.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
      const missing = await post({});
      expect(missing.status).toBe(401);
      expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(/X-Bridge-User/);
    } finally {
      await dev.shutdown();
    }
  });
});
