import { createLocalJWKSet, errors as joseErrors } from "jose";
import type { JSONWebKeySet, JWSHeaderParameters } from "jose";
import { errors } from "../errors.js";
import { fetchSigningKeys } from "./fetch-signing-keys.js";

export interface OpenIdKeySourceOptions {
  openIdMetadataUrl: string;
  fetch: typeof fetch;
  now: () => Date;
  /** Minimum interval between two fetch attempts, whatever triggered them. */
  cooldownMs: number;
  /** Age after which keys are refetched before use; stale keys serve on if that fails. */
  maxAgeMs: number;
  timeoutMs: number;
}

export interface OpenIdKeySource {
  /** Key resolver for jose's jwtVerify: the key named by the header's kid, refetching once if unknown. */
  getKey(header: JWSHeaderParameters): Promise<CryptoKey>;
  /** How many metadata+JWKS fetch attempts were made (for metrics and tests). */
  fetchCount(): number;
}

/**
 * Caches the tenant's signing keys. Every fetch attempt (first load, age refresh, unknown kid,
 * retry after failure) is spaced by cooldownMs, so a flood of tokens naming unknown kids cannot
 * turn the bridge into a load generator against the identity provider. Concurrent callers share
 * one in-flight fetch.
 */
export function createOpenIdKeySource(o: OpenIdKeySourceOptions): OpenIdKeySource {
  let keys: ReturnType<typeof createLocalJWKSet> | undefined;
  let fetchedAt = 0;
  let lastAttemptAt = Number.NEGATIVE_INFINITY;
  let attempts = 0;
  let inFlight: Promise<void> | undefined;

  const msSinceAttempt = () => o.now().getTime() - lastAttemptAt;

  function refresh(): Promise<void> {
    inFlight ??= (async () => {
      lastAttemptAt = o.now().getTime();
      attempts += 1;
      try {
        const jwks: JSONWebKeySet = await fetchSigningKeys(o);
        keys = createLocalJWKSet(jwks);
        fetchedAt = o.now().getTime();
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  /** Refetch unless the cooldown forbids it; a failure is a 503 only when we have no keys at all. */
  async function refreshIfAllowed(required: boolean): Promise<void> {
    if (!inFlight && msSinceAttempt() < o.cooldownMs) {
      if (!required) return;
      const waitSeconds = Math.max(1, Math.ceil((o.cooldownMs - msSinceAttempt()) / 1000));
      throw errors.upstreamUnavailable("The identity provider's signing keys are unavailable; retry later.", waitSeconds);
    }
    try {
      await refresh();
    } catch (e) {
      if (required) throw e;
    }
  }

  async function getKey(header: JWSHeaderParameters): Promise<CryptoKey> {
    if (!keys) await refreshIfAllowed(true);
    else if (o.now().getTime() - fetchedAt >= o.maxAgeMs) await refreshIfAllowed(false);
    try {
      return await keys!(header);
    } catch (e) {
      if (!(e instanceof joseErrors.JWKSNoMatchingKey)) throw e;
      // A kid we have not seen may be a freshly rotated key: look once, within the cooldown.
      if (inFlight || msSinceAttempt() >= o.cooldownMs) {
        await refreshIfAllowed(true);
        return keys!(header);
      }
      throw e;
    }
  }

  return { getKey, fetchCount: () => attempts };
}
