import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from "jose";

export const TENANT = "11111111-1111-4111-8111-111111111111";
export const OTHER_TENANT = "22222222-2222-4222-8222-222222222222";
export const APP_ID = "aaaaaaaa-0000-4000-8000-000000000001";
export const USER_OID = "bbbbbbbb-0000-4000-8000-000000000002";
export const SP_OID = "cccccccc-0000-4000-8000-000000000003";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: "sig", x5t: kid };
  return { kid, privateKey, publicJwk };
}

/** A loopback stand-in for login.microsoftonline.com: OpenID metadata plus a JWKS, with hit counters. */
export interface FakeEntra {
  metadataUrl: string;
  hits: { metadata: number; jwks: number };
  publish(keys: JWK[]): void;
  /** Status the metadata endpoint answers with (200 = serve the document). */
  metadataStatus: number;
  close(): Promise<void>;
}

export async function startFakeEntra(): Promise<FakeEntra> {
  let keys: JWK[] = [];
  const state = { hits: { metadata: 0, jwks: 0 } };
  const server: Server = createServer((req, res) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === `/${TENANT}/v2.0/.well-known/openid-configuration`) {
      state.hits.metadata += 1;
      if (fake.metadataStatus !== 200) return void res.writeHead(fake.metadataStatus).end("down");
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`, jwks_uri: `${base}/${TENANT}/discovery/v2.0/keys` }));
    }
    if (req.url === `/${TENANT}/discovery/v2.0/keys`) {
      state.hits.jwks += 1;
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ keys }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const fake: FakeEntra = {
    metadataUrl: `http://127.0.0.1:${port}/${TENANT}/v2.0/.well-known/openid-configuration`,
    hits: state.hits,
    metadataStatus: 200,
    publish: (next) => {
      keys = next;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
  return fake;
}

export interface MintOptions {
  now: Date;
  claims?: JWTPayload;
  header?: Record<string, unknown>;
  lifetimeSeconds?: number;
}

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

/** App-only token the way Entra v1 mints it for Microsoft Graph (client credentials). */
export function appClaims(tenant = TENANT): JWTPayload {
  return {
    aud: "https://graph.microsoft.com",
    iss: `https://sts.windows.net/${tenant}/`,
    tid: tenant,
    appid: APP_ID,
    idtyp: "app",
    oid: SP_OID,
    sub: SP_OID,
    ver: "1.0",
  };
}

/** Delegated v2 token carrying the notifications permission. */
export function delegatedClaims(tenant = TENANT): JWTPayload {
  return {
    aud: "00000003-0000-0000-c000-000000000000",
    iss: `https://login.microsoftonline.com/${tenant}/v2.0`,
    tid: tenant,
    azp: APP_ID,
    scp: "User.Read Notifications.ReadWrite.CreatedByApp",
    oid: USER_OID,
    sub: "pairwise-subject-of-the-user",
    ver: "2.0",
  };
}

export function mintToken(key: SigningKey, o: MintOptions): Promise<string> {
  const iat = epoch(o.now);
  return new SignJWT({ iat, nbf: iat, exp: iat + (o.lifetimeSeconds ?? 3600), ...(o.claims ?? appClaims()) })
    .setProtectedHeader({ typ: "JWT", alg: "RS256", kid: key.kid, ...o.header })
    .sign(key.privateKey);
}

/** Re-encode one part of a compact JWS without re-signing (for tampering and alg:none tokens). */
export const encodePart = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
