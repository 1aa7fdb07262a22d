import type { JSONWebKeySet } from "jose";
import { errors } from "../errors.js";

export interface FetchSigningKeysOptions {
  openIdMetadataUrl: string;
  fetch: typeof fetch;
  timeoutMs: number;
}

const unavailable = (what: string, cause?: unknown) =>
  Object.assign(errors.upstreamUnavailable(`The identity provider's signing keys are unavailable (${what}); retry later.`), {
    cause,
  });

async function getJson(url: string, o: FetchSigningKeysOptions, what: string): Promise<unknown> {
  let response: Response;
  try {
    response = await o.fetch(url, {
      headers: { accept: "application/json" },
      redirect: "error",
      signal: AbortSignal.timeout(o.timeoutMs),
    });
  } catch (e) {
    throw unavailable(`${what} unreachable`, e);
  }
  if (response.status !== 200) throw unavailable(`${what} answered ${response.status}`);
  try {
    return await response.json();
  } catch (e) {
    throw unavailable(`${what} is not JSON`, e);
  }
}

/** The jwks_uri must stay on a secure scheme unless the metadata itself was fetched over plain http (tests). */
function readJwksUri(metadata: unknown, metadataUrl: string): string {
  const raw = (metadata as { jwks_uri?: unknown } | null)?.jwks_uri;
  if (typeof raw !== "string") throw unavailable("metadata has no jwks_uri");
  let uri: URL;
  try {
    uri = new URL(raw);
  } catch (e) {
    throw unavailable("metadata jwks_uri is not a URL", e);
  }
  const allowed = new URL(metadataUrl).protocol === "http:" ? ["https:", "http:"] : ["https:"];
  if (!allowed.includes(uri.protocol)) throw unavailable("metadata jwks_uri is not https");
  return uri.href;
}

function readKeySet(body: unknown): JSONWebKeySet {
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw unavailable("JWKS has no keys array");
  // Only RSA signing keys can verify RS256; dropping the rest keeps odd entries from breaking selection.
  const usable = keys.filter(
    (k): k is JSONWebKeySet["keys"][number] =>
      typeof k === "object" && k !== null && k.kty === "RSA" && (k.use === undefined || k.use === "sig"),
  );
  return { keys: usable };
}

/** Fetch the OpenID metadata, then the JWKS it names. Every failure is a 503 (never a 401). */
export async function fetchSigningKeys(o: FetchSigningKeysOptions): Promise<JSONWebKeySet> {
  const metadata = await getJson(o.openIdMetadataUrl, o, "OpenID metadata");
  const jwksUri = readJwksUri(metadata, o.openIdMetadataUrl);
  return readKeySet(await getJson(jwksUri, o, "JWKS"));
}
