import { createHash } from "node:crypto";
import { createServer, type AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { createEntraVerifier } from "../../src/auth/entra-verifier.js";
import type { EntraAuthOptions } from "../../src/auth/types.js";
import { TENANT, appClaims, makeSigningKey, mintToken, startFakeEntra, type FakeEntra, type SigningKey } from "./fake-entra.js";

let entra: FakeEntra;
let key: SigningKey;
let clock: number;
const now = () => new Date(clock);
const COOLDOWN_MS = 30_000;

beforeEach(async () => {
  clock = Date.parse("2025-03-01T12:00:00Z");
  entra = await startFakeEntra();
  key = await makeSigningKey("key-1");
  entra.publish([key.publicJwk]);
});
afterEach(() => entra.close());

const newVerifier = (extra: Partial<EntraAuthOptions> = {}) =>
  createEntraVerifier({
    tenantIds: [TENANT], audiences: ["https://graph.microsoft.com"], openIdMetadataUrl: entra.metadataUrl,
    now, jwksCooldownMs: COOLDOWN_MS, ...extra,
  });

async function statusOf(p: Promise<unknown>): Promise<number> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e.status;
}

describe("signing keys: caching, rotation and rate limiting", () => {
  it("fetches the keys once and reuses them", async () => {
    const verifier = newVerifier();
    for (let i = 0; i < 5; i++) await verifier.verify(`Bearer ${await mintToken(key, { now: now() })}`);
    expect(entra.hits).toEqual({ metadata: 1, jwks: 1 });
  });

  it("shares one fetch between concurrent first requests", async () => {
    const verifier = newVerifier();
    const token = await mintToken(key, { now: now() });
    await Promise.all(Array.from({ length: 10 }, () => verifier.verify(`Bearer ${token}`)));
    expect(entra.hits.jwks).toBe(1);
  });

  it("refetches at most once per cooldown for tokens naming unknown kids", async () => {
    const verifier = newVerifier();
    await verifier.verify(`Bearer ${await mintToken(key, { now: now() })}`);
    clock += COOLDOWN_MS; // the cooldown since the first fetch has passed: one refetch is allowed
    const stranger = await makeSigningKey("not-published");
    const token = await mintToken(stranger, { now: now() });
    const statuses = [];
    for (let i = 0; i < 20; i++) statuses.push(await statusOf(verifier.verify(`Bearer ${token}`)));
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(entra.hits.jwks).toBe(2); // initial fetch + exactly one refetch for 20 requests

    clock += COOLDOWN_MS;
    for (let i = 0; i < 20; i++) await statusOf(verifier.verify(`Bearer ${token}`));
    expect(entra.hits.jwks).toBe(3);
  });

  it("accepts a rotated-in key after refetching", async () => {
    const verifier = newVerifier();
    await verifier.verify(`Bearer ${await mintToken(key, { now: now() })}`);
    const rotated = await makeSigningKey("key-2");
    entra.publish([key.publicJwk, rotated.publicJwk]);
    clock += COOLDOWN_MS + 1;
    const caller = await verifier.verify(`Bearer ${await mintToken(rotated, { now: now() })}`);
    expect(caller.kind).toBe("app");
    expect(entra.hits.jwks).toBe(2);
  });

  it("refreshes keys past their max age and keeps the old ones if the refresh fails", async () => {
    const verifier = newVerifier({ jwksMaxAgeMs: 3_600_000 });
    await verifier.verify(`Bearer ${await mintToken(key, { now: now() })}`);
    clock += 3_600_000;
    entra.metadataStatus = 500;
    expect((await verifier.verify(`Bearer ${await mintToken(key, { now: now() })}`)).kind).toBe("app");
    expect(entra.hits.metadata).toBe(2);
  });
});

describe("signing keys: identity provider unavailable", () => {
  it("answers 503 with Retry-After, not 401, when the metadata endpoint fails", async () => {
    entra.metadataStatus = 500;
    const verifier = newVerifier();
    const token = await mintToken(key, { now: now() });
    const first = await verifier.verify(`Bearer ${token}`).catch((e: AppError) => e);
    expect(first).toMatchObject({ status: 503, code: "ServiceUnavailable" });
    // A flood during the outage is answered from the cooldown, not by hammering the endpoint.
    const second = await verifier.verify(`Bearer ${token}`).catch((e: AppError) => e);
    expect(second).toMatchObject({ status: 503, headers: { "Retry-After": "30" } });
    expect(entra.hits.metadata).toBe(1);

    entra.metadataStatus = 200;
    clock += COOLDOWN_MS;
    expect((await verifier.verify(`Bearer ${token}`)).kind).toBe("app");
  });

  it("answers 503 when the identity provider drops the connection", async () => {
    const dropper = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropper.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(dropper.address() as AddressInfo).port}/${TENANT}/v2.0/.well-known/openid-configuration`;
    try {
      const verifier = createEntraVerifier({ tenantIds: [TENANT], audiences: ["https://graph.microsoft.com"], openIdMetadataUrl: url, now });
      expect(await statusOf(verifier.verify(`Bearer ${await mintToken(key, { now: now() })}`))).toBe(503);
    } finally {
      await new Promise((resolve) => dropper.close(resolve));
    }
  });

  it("answers 503 when the JWKS is not a key set", async () => {
    entra.publish("nonsense" as never);
    expect(await statusOf(newVerifier().verify(`Bearer ${await mintToken(key, { now: now() })}`))).toBe(503);
  });
});

/** Sign over base64url(SHA-256(nonce)) and ship the plain nonce, as Entra does for Graph tokens. */
async function mintGraphNonceToken(nonce: string): Promise<string> {
  const hashed = createHash("sha256").update(nonce).digest("base64url");
  const signed = await mintToken(key, { now: now(), header: { nonce: hashed } });
  const [header, payload, signature] = signed.split(".");
  const plainHeader = Buffer.from(header, "base64url").toString().replace(hashed, nonce);
  return [Buffer.from(plainHeader).toString("base64url"), payload, signature].join(".");
}

describe("tokens minted for Microsoft Graph (header nonce)", () => {
  it("verifies them against the hashed nonce by default", async () => {
    const token = await mintGraphNonceToken("AQABAAAAAABnfiG-mA6NTae7CdWW7Qfd");
    expect((await newVerifier().verify(`Bearer ${token}`)).kind).toBe("app");
  });

  it("rejects a tampered nonce", async () => {
    const token = await mintGraphNonceToken("AQABAAAAAABnfiG-mA6NTae7CdWW7Qfd");
    const [header, ...rest] = token.split(".");
    const tampered = Buffer.from(Buffer.from(header, "base64url").toString().replace("AQAB", "AQAC")).toString("base64url");
    expect(await statusOf(newVerifier().verify(`Bearer ${[tampered, ...rest].join(".")}`))).toBe(401);
  });

  it("refuses them when graphNonce is 'reject'", async () => {
    const token = await mintGraphNonceToken("abc");
    expect(await statusOf(newVerifier({ graphNonce: "reject" }).verify(`Bearer ${token}`))).toBe(401);
    expect((await newVerifier({ graphNonce: "reject" }).verify(`Bearer ${await mintToken(key, { now: now(), claims: appClaims() })}`)).kind).toBe("app");
  });
});
