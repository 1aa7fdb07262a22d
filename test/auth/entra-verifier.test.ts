import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { AppError } from "../../src/errors.js";
import { createEntraVerifier } from "../../src/auth/entra-verifier.js";
import { DEFAULT_AUDIENCES } from "../../src/auth/types.js";
import {
  APP_ID, OTHER_TENANT, SP_OID, TENANT, USER_OID, appClaims, delegatedClaims, encodePart, makeSigningKey, mintToken, startFakeEntra,
  type FakeEntra, type SigningKey,
} from "./fake-entra.js";

let entra: FakeEntra;
let key: SigningKey;
let clock: number;
const now = () => new Date(clock);

beforeAll(async () => {
  entra = await startFakeEntra();
  key = await makeSigningKey("key-1");
  entra.publish([key.publicJwk]);
});
afterAll(() => entra.close());
beforeEach(() => {
  clock = Date.parse("2025-03-01T12:00:00Z");
});

const newVerifier = () =>
  createEntraVerifier({ tenantIds: [TENANT], audiences: [...DEFAULT_AUDIENCES], openIdMetadataUrl: entra.metadataUrl, now });

/** Await a rejection and return it as an AppError (fails the test if it resolved or threw something else). */
async function rejectionOf(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

async function expect401(header: string | undefined, pattern: RegExp) {
  const e = await rejectionOf(newVerifier().verify(header));
  expect(e.status).toBe(401);
  expect(e.code).toBe("InvalidAuthenticationToken");
  expect(e.message).toMatch(pattern);
  expect(e.headers["WWW-Authenticate"]).toMatch(/^Bearer realm="", authorization_uri="https:\/\/login\.microsoftonline\.com\/common\/oauth2\/authorize"/);
  return e;
}

describe("createEntraVerifier: accepted tokens", () => {
  it("turns a v1 app-only Graph token into an app caller", async () => {
    const token = await mintToken(key, { now: now() });
    expect(await newVerifier().verify(`Bearer ${token}`)).toEqual({ kind: "app", appId: APP_ID, tenantId: TENANT, subject: SP_OID });
  });

  it("turns a v2 delegated token with the notifications scope into a delegated caller", async () => {
    const token = await mintToken(key, { now: now(), claims: delegatedClaims() });
    expect(await newVerifier().verify(`bearer ${token}`)).toEqual({
      kind: "delegated", appId: APP_ID, tenantId: TENANT, userObjectId: USER_OID,
      scopes: ["User.Read", "Notifications.ReadWrite.CreatedByApp"],
    });
  });

  it("treats a token with roles and no scp as app-only even without idtyp", async () => {
    const { idtyp: _idtyp, ...claims } = appClaims();
    const token = await mintToken(key, { now: now(), claims: { ...claims, oid: "x", sub: "y", roles: ["Some.Role"] } });
    expect(await newVerifier().verify(`Bearer ${token}`)).toMatchObject({ kind: "app", subject: "y" });
  });

  it("accepts a token that expired within the clock skew", async () => {
    const token = await mintToken(key, { now: now(), lifetimeSeconds: 60 });
    clock += 150_000; // 90 s past exp, inside the 120 s default skew
    expect(await newVerifier().verify(`Bearer ${token}`)).toMatchObject({ kind: "app" });
  });
});

describe("createEntraVerifier: rejected tokens", () => {
  it("answers 401 without an error code when the header is missing or not Bearer", async () => {
    const before = entra.hits.jwks;
    const missing = await expect401(undefined, /empty/);
    expect(missing.headers["WWW-Authenticate"]).not.toMatch(/error=/);
    await expect401("Basic dXNlcjpwYXNz", /Bearer/);
    expect(entra.hits.jwks).toBe(before);
  });

  it("rejects an expired token", async () => {
    const token = await mintToken(key, { now: now(), lifetimeSeconds: 60 });
    clock += 60_000 + 121_000;
    const e = await expect401(`Bearer ${token}`, /token is expired/);
    expect(e.headers["WWW-Authenticate"]).toMatch(/error="invalid_token", error_description="Lifetime validation failed, the token is expired\."$/);
  });

  it("rejects a token that is not yet valid", async () => {
    const token = await mintToken(key, { now: new Date(clock + 600_000) });
    await expect401(`Bearer ${token}`, /not yet valid/);
  });

  it("rejects a wrong audience", async () => {
    const token = await mintToken(key, { now: now(), claims: { ...appClaims(), aud: "https://management.azure.com" } });
    await expect401(`Bearer ${token}`, /invalid audience/);
  });

  it("rejects an issuer that is not Entra's for the tenant", async () => {
    const token = await mintToken(key, { now: now(), claims: { ...appClaims(), iss: `https://evil.example/${TENANT}/` } });
    await expect401(`Bearer ${token}`, /invalid issuer/);
  });

  it("rejects an allowed tid paired with another tenant's issuer", async () => {
    const token = await mintToken(key, { now: now(), claims: { ...appClaims(), iss: `https://sts.windows.net/${OTHER_TENANT}/` } });
    await expect401(`Bearer ${token}`, /invalid issuer/);
  });

  it("rejects a well-formed token from another tenant", async () => {
    const token = await mintToken(key, { now: now(), claims: appClaims(OTHER_TENANT) });
    await expect401(`Bearer ${token}`, /tenant is not allowed/);
  });

  it("rejects an unsigned alg:none token without fetching keys", async () => {
    const before = entra.hits.jwks;
    const token = `${encodePart({ alg: "none", typ: "JWT" })}.${encodePart({ ...appClaims(), exp: clock / 1000 + 3600 })}.`;
    await expect401(`Bearer ${token}`, /only RS256/);
    expect(entra.hits.jwks).toBe(before);
  });

  it("rejects HS256, including one keyed with the RSA public key (key confusion)", async () => {
    const claims = { ...appClaims(), exp: clock / 1000 + 3600 };
    const secret = new TextEncoder().encode(JSON.stringify(key.publicJwk));
    const token = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", kid: key.kid }).sign(secret);
    await expect401(`Bearer ${token}`, /only RS256/);
  });

  it("rejects a token signed by other key material under a known kid", async () => {
    const impostor = await makeSigningKey(key.kid);
    const token = await mintToken(impostor, { now: now() });
    await expect401(`Bearer ${token}`, /invalid signature/);
  });

  it("rejects a payload altered after signing", async () => {
    const [header, , signature] = (await mintToken(key, { now: now() })).split(".");
    const forged = `${header}.${encodePart({ ...appClaims(), appid: "someone-else", exp: clock / 1000 + 3600 })}.${signature}`;
    await expect401(`Bearer ${forged}`, /invalid signature/);
  });

  it("rejects garbage and tokens without kid", async () => {
    await expect401("Bearer not-a-jwt", /well-formed/);
    const noKid = `${encodePart({ alg: "RS256" })}.${encodePart(appClaims())}.c2ln`;
    await expect401(`Bearer ${noKid}`, /kid/);
  });

  it("answers 403 for a delegated token without the notifications scope", async () => {
    const token = await mintToken(key, { now: now(), claims: { ...delegatedClaims(), scp: "User.Read" } });
    const e = await rejectionOf(newVerifier().verify(`Bearer ${token}`));
    expect(e.status).toBe(403);
    expect(e.message).toMatch(/Missing permission.*Notifications\.ReadWrite\.CreatedByApp/);
  });

  it("rejects a token that is neither app-only nor delegated", async () => {
    const { idtyp: _idtyp, ...claims } = appClaims();
    const token = await mintToken(key, { now: now(), claims: { ...claims, sub: "someone" } });
    await expect401(`Bearer ${token}`, /Either scp or roles/);
  });

  it("never echoes the token in the message or challenge", async () => {
    const token = await mintToken(key, { now: now(), claims: { ...appClaims(), aud: "other" } });
    const e = await expect401(`Bearer ${token}`, /audience/);
    expect(`${e.message} ${e.headers["WWW-Authenticate"]}`).not.toContain(token.split(".")[1].slice(0, 20));
  });
});
