import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAppHostRules } from "../../src/auth/app-hosts.js";
import { createEntraVerifier } from "../../src/auth/entra-verifier.js";
import { DEFAULT_AUDIENCES } from "../../src/auth/types.js";
import {
  APP_ID, OTHER_TENANT, TENANT, USER_OID, appClaims, delegatedClaims, encodePart, makeSigningKey, mintToken, startFakeEntra,
  type FakeEntra, type SigningKey,
} from "../auth/fake-entra.js";
import { aLegacyNotification } from "../support/test-app.js";
import { expectGraphError, send, type RawAnswer } from "./http-client.js";
import { startOutboxApp, type OutboxApp } from "./outbox-app.js";

const NOW = new Date("2025-03-01T12:00:00Z");
const HOST = "notify.contoso.com";
const OTHER_APP = "dddddddd-0000-4000-8000-000000000004";
const UNLISTED_APP = "eeeeeeee-0000-4000-8000-000000000005";
const epoch = Math.floor(NOW.getTime() / 1000);

let entra: FakeEntra;
let key: SigningKey;
let app: OutboxApp;

beforeAll(async () => {
  entra = await startFakeEntra();
  key = await makeSigningKey("key-1");
  entra.publish([key.publicJwk]);
  const verifier = createEntraVerifier({ tenantIds: [TENANT], audiences: [...DEFAULT_AUDIENCES], openIdMetadataUrl: entra.metadataUrl, now: () => NOW });
  app = await startOutboxApp({
    authenticate: (h) => verifier.verify(h),
    authMode: "entra",
    appHosts: parseAppHostRules(JSON.stringify({ [APP_ID]: [HOST], [OTHER_APP]: ["other.fabrikam.com"] })),
    now: () => NOW,
    limits: { maxBodyBytes: 65_536, rateLimitPerMinute: 0, rateLimitStatus: 429, maxUrlLength: 2048 },
  });
});
afterAll(async () => {
  await app?.close();
  await entra?.close();
});

function post(token: string | undefined, o: { unsId?: string; body?: object } = {}): Promise<RawAnswer> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (token !== undefined) headers.Authorization = `Bearer ${token}`;
  if (o.unsId !== undefined) headers["X-UNS-ID"] = o.unsId;
  return send(app.url, { path: "/beta/me/notifications", headers, body: JSON.stringify(o.body ?? aLegacyNotification({ targetHostName: HOST })) });
}

/** A rejected request leaves no trace: no notification or delivery row, no send. */
async function expectRejectedWithoutTrace(a: RawAnswer, status: number, code: string): Promise<string> {
  const before = app.countRows();
  const e = expectGraphError(a, status, code);
  expect(app.countRows()).toEqual(before);
  expect(await app.countSends()).toBe(0);
  return e.message;
}

describe("full app with Entra auth, app-host rules and the hubs outbox", () => {
  it("accepts a valid app token for an allowed app and host, stores it and sends nothing yet", async () => {
    const before = app.countRows();
    const a = await post(await mintToken(key, { now: NOW }), { unsId: "uns-alice" });
    expect(a.status, a.text).toBe(201);
    const id = (JSON.parse(a.text) as { id: string }).id;
    const stored = await app.store.getNotification(id);
    expect(stored?.notification.unsId).toBe("uns-alice");
    expect(stored?.deliveries.length).toBeGreaterThan(0);
    expect(app.countRows().notifications).toBe(before.notifications + 1);
    expect(await app.countSends()).toBe(0); // outbox: the worker sends, not the request
  });

  const bad: Array<[string, () => Promise<string>, RegExp]> = [
    ["expired", () => mintToken(key, { now: new Date(NOW.getTime() - 2 * 3600_000) }), /expired/],
    ["not yet valid", () => mintToken(key, { now: new Date(NOW.getTime() + 600_000) }), /not yet valid/],
    ["wrong audience", () => mintToken(key, { now: NOW, claims: { ...appClaims(), aud: "https://management.azure.com" } }), /audience/],
    ["wrong issuer", () => mintToken(key, { now: NOW, claims: { ...appClaims(), iss: `https://evil.example/${TENANT}/` } }), /issuer/],
    ["wrong tenant", () => mintToken(key, { now: NOW, claims: appClaims(OTHER_TENANT) }), /tenant/],
    ["unsigned (alg none)", async () => `${encodePart({ alg: "none", typ: "JWT" })}.${encodePart({ ...appClaims(), exp: epoch + 3600 })}.`, /RS256/],
    ["HS256 keyed with the public key", () => new SignJWT({ ...appClaims(), exp: epoch + 3600 }).setProtectedHeader({ alg: "HS256", kid: key.kid }).sign(new TextEncoder().encode(JSON.stringify(key.publicJwk))), /RS256/],
    ["wrongly signed", async () => mintToken(await makeSigningKey(key.kid), { now: NOW }), /signature/],
    ["unknown kid", async () => mintToken(await makeSigningKey("key-nobody-published"), { now: NOW }), /signing key/],
    ["tampered payload", async () => {
      const [h, , s] = (await mintToken(key, { now: NOW })).split(".");
      return `${h}.${encodePart({ ...appClaims(), appid: OTHER_APP, exp: epoch + 3600 })}.${s}`;
    }, /signature/],
  ];

  it.each(bad)("answers 401 with a challenge to a %s token and stores nothing", async (_name, token, why) => {
    const a = await post(await token(), { unsId: "uns-alice" });
    const message = await expectRejectedWithoutTrace(a, 401, "InvalidAuthenticationToken");
    expect(message).toMatch(why);
    expect(a.headers["www-authenticate"]).toMatch(/^Bearer realm="", authorization_uri="https:\/\/login\.microsoftonline\.com\/common\/oauth2\/authorize".*error="invalid_token"/);
  });

  it("answers 401 without an error code when no token is sent", async () => {
    const a = await post(undefined, { unsId: "uns-alice" });
    await expectRejectedWithoutTrace(a, 401, "InvalidAuthenticationToken");
    expect(a.headers["www-authenticate"]).toMatch(/^Bearer realm=""/);
    expect(a.headers["www-authenticate"]).not.toMatch(/error=/);
  });

  it("answers 403 to an allowed app posting for another app's host", async () => {
    const token = await mintToken(key, { now: NOW });
    const a = await post(token, { unsId: "uns-alice", body: aLegacyNotification({ targetHostName: "other.fabrikam.com" }) });
    expect(await expectRejectedWithoutTrace(a, 403, "Forbidden")).toMatch(/targetHostName/);
  });

  it("answers 403 to the other app posting for the first app's host (the rule is per app)", async () => {
    const token = await mintToken(key, { now: NOW, claims: { ...appClaims(), appid: OTHER_APP } });
    await expectRejectedWithoutTrace(await post(token, { unsId: "uns-alice" }), 403, "Forbidden");
  });

  it("answers 403 to an app that has no rule at all", async () => {
    const token = await mintToken(key, { now: NOW, claims: { ...appClaims(), appid: UNLISTED_APP } });
    const message = await expectRejectedWithoutTrace(await post(token, { unsId: "uns-alice" }), 403, "Forbidden");
    expect(message).toMatch(/not allowed to send notifications through this service/);
  });

  it("answers 403 to a delegated token without the notifications scope", async () => {
    const token = await mintToken(key, { now: NOW, claims: { ...delegatedClaims(), scp: "User.Read" } });
    expect(await expectRejectedWithoutTrace(await post(token), 403, "Forbidden")).toMatch(/Missing permission/);
  });

  it("accepts a delegated token with the right scope without X-UNS-ID and targets the token's user's own subscription", async () => {
    const a = await post(await mintToken(key, { now: NOW, claims: delegatedClaims() }));
    expect(a.status, a.text).toBe(201);
    const stored = await app.store.getNotification((JSON.parse(a.text) as { id: string }).id);
    const own = await app.store.subscriptions.findUserSubscription({ tenantId: TENANT, userObjectId: USER_OID, targetHostName: HOST });
    expect(own).toBeDefined();
    expect(stored?.notification.unsId).toBe(own?.id); // the subscription id, no longer the raw oid
    expect(stored?.notification.body.targets).toEqual({ subscriptionId: own?.id, installationCount: 0, installations: [] });
    for (const d of stored?.deliveries ?? []) expect(d.send.tagExpression).toBe(`$UserId:{${own?.id}}`);
  });

  it("ignores an X-UNS-ID sent with a delegated token: a user cannot target someone else", async () => {
    const a = await post(await mintToken(key, { now: NOW, claims: delegatedClaims() }), { unsId: "uns-victim" });
    expect(a.status, a.text).toBe(201);
    const stored = await app.store.getNotification((JSON.parse(a.text) as { id: string }).id);
    const own = await app.store.subscriptions.findUserSubscription({ tenantId: TENANT, userObjectId: USER_OID, targetHostName: HOST });
    expect(stored?.notification.unsId).toBe(own?.id);
  });
});
