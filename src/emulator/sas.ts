import { createHmac, timingSafeEqual } from "node:crypto";
import type { AccessRight, SharedAccessPolicy } from "./keys.js";

/**
 * Notification Hubs SAS tokens:
 * `SharedAccessSignature sr=<enc(lower(uri))>&sig=<enc(base64 HMAC-SHA256(key, sr + "\n" + se))>&se=<unix s>&skn=<name>`
 * (learn.microsoft.com/rest/api/notificationhubs/common-concepts). The HMAC key is the key
 * string's UTF-8 bytes, not its base64 decoding.
 */
const PREFIX = "SharedAccessSignature ";

export interface SasRequest {
  authorization: string | undefined;
  policies: readonly SharedAccessPolicy[];
  /** Host header of the request, e.g. `127.0.0.1:10110`. */
  host: string;
  /** Path of the request, e.g. `/hub/messages/`. */
  path: string;
  now: Date;
}

export type SasVerdict = { ok: true; keyName: string; rights: readonly AccessRight[] } | { ok: false; detail: string };

export function parseSasToken(authorization: string): Record<string, string> | undefined {
  if (!authorization.startsWith(PREFIX)) return undefined;
  const fields: Record<string, string> = {};
  for (const pair of authorization.slice(PREFIX.length).trim().split("&")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) return undefined;
    fields[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return fields;
}

export function signSas(key: string, resource: string, expiry: string): string {
  return createHmac("sha256", Buffer.from(key, "utf8")).update(`${resource}\n${expiry}`).digest("base64");
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token's resource must name this host and a prefix of the requested path (namespace or hub). */
function coversRequest(resource: string, host: string, path: string): boolean {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    return false;
  }
  const scope = url.pathname.replace(/\/+$/, "").toLowerCase();
  const requested = path.toLowerCase();
  return url.host.toLowerCase() === host.toLowerCase() && (requested === scope || requested.startsWith(`${scope}/`));
}

export function verifySasToken(request: SasRequest): SasVerdict {
  if (!request.authorization) return { ok: false, detail: "MissingToken: the Authorization header is missing" };
  const fields = parseSasToken(request.authorization);
  if (!fields) return { ok: false, detail: "MalformedToken: expected 'SharedAccessSignature sr=..&sig=..&se=..&skn=..'" };
  const { sr, sig, se, skn } = fields;
  if (!sr || !sig || !se || !skn) return { ok: false, detail: "MalformedToken: sr, sig, se and skn are all required" };
  const keyName = safeDecode(skn);
  const policy = request.policies.find((p) => p.name === keyName);
  if (!policy) return { ok: false, detail: `InvalidSignature: the key name '${keyName ?? skn}' is unknown` };
  if (!/^\d+$/.test(se)) return { ok: false, detail: "MalformedToken: se must be an expiry in Unix seconds" };
  if (Number(se) * 1000 <= request.now.getTime()) return { ok: false, detail: "ExpiredToken: the token has expired" };
  const resource = safeDecode(sr);
  if (!resource || !coversRequest(resource, request.host, request.path)) {
    return { ok: false, detail: `InvalidAudience: the token's resource '${resource ?? sr}' does not cover this request` };
  }
  const given = safeDecode(sig) ?? "";
  // Clients sign the encoded resource exactly as sent in sr (SDKs); accept the decoded form too (REST prose).
  const valid = [sr, resource].some((signed) => sameSignature(signSas(policy.key, signed, se), given));
  if (!valid) return { ok: false, detail: "InvalidSignature: the token signature does not match the key" };
  return { ok: true, keyName: policy.name, rights: policy.rights };
}

/** Builds a token the way the SDK does; for tests and tools. */
export function createSasToken(options: { resourceUri: string; policy: SharedAccessPolicy; expiresAt: Date }): string {
  const sr = encodeURIComponent(options.resourceUri.toLowerCase());
  const se = String(Math.floor(options.expiresAt.getTime() / 1000));
  const sig = encodeURIComponent(signSas(options.policy.key, sr, se));
  return `${PREFIX}sr=${sr}&sig=${sig}&se=${se}&skn=${encodeURIComponent(options.policy.name)}`;
}
