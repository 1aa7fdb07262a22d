import { decodeProtectedHeader, errors as joseErrors, jwtVerify } from "jose";
import type { JWTPayload } from "jose";
import { isAppError } from "../errors.js";
import { readBearerToken } from "./bearer-token.js";
import { checkTenantAndIssuer, classifyCaller } from "./entra-claims.js";
import { hasGraphNonce, restoreSignedGraphHeader } from "./graph-nonce.js";
import { createOpenIdKeySource } from "./openid-key-source.js";
import { rejectInvalidToken } from "./token-errors.js";
import type { Caller, EntraAuthOptions } from "./types.js";

const ALGORITHM = "RS256";

export interface EntraVerifier {
  /** Resolve the caller from an Authorization header; throws AppError 401, 403 or 503. */
  verify(authorizationHeader: string | undefined): Promise<Caller>;
}

/** Turn jose's verdicts into Graph-like 401s; anything unexpected is rethrown untouched. */
function translateJoseError(e: unknown): unknown {
  if (isAppError(e)) return e;
  if (e instanceof joseErrors.JWTExpired) return rejectInvalidToken("Lifetime validation failed, the token is expired.");
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.claim === "nbf") return rejectInvalidToken("Lifetime validation failed, the token is not yet valid.");
    if (e.claim === "aud") return rejectInvalidToken("Access token validation failure: invalid audience.");
    return rejectInvalidToken(`Access token validation failure: the ${e.claim} claim is invalid.`);
  }
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return rejectInvalidToken(`Access token validation failure: only ${ALGORITHM} is accepted.`);
  if (e instanceof joseErrors.JWKSNoMatchingKey || e instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return rejectInvalidToken("Access token validation failure: the signing key is not known.");
  }
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return rejectInvalidToken("Access token validation failure: invalid signature.");
  if (e instanceof joseErrors.JOSEError) return rejectInvalidToken("Access token validation failure: the token is not a well-formed JWT.");
  return e;
}

/** Cheap header checks before any key lookup, so garbage never costs a JWKS fetch. */
function checkHeader(token: string): void {
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    throw rejectInvalidToken("Access token validation failure: the token is not a well-formed JWT.");
  }
  if (header.alg !== ALGORITHM) throw rejectInvalidToken(`Access token validation failure: only ${ALGORITHM} is accepted.`);
  if (typeof header.kid !== "string" || header.kid.length === 0) {
    throw rejectInvalidToken("Access token validation failure: the token names no signing key (kid).");
  }
}

export function createEntraVerifier(o: EntraAuthOptions): EntraVerifier {
  const tenantIds = new Set(o.tenantIds.map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0));
  if (tenantIds.size === 0) throw new Error("createEntraVerifier needs at least one tenant id (AUTH_TENANT_ID).");
  if (o.audiences.length === 0) throw new Error("createEntraVerifier needs at least one audience (AUTH_AUDIENCES).");
  const now = o.now ?? (() => new Date());
  const keys = createOpenIdKeySource({
    openIdMetadataUrl: o.openIdMetadataUrl,
    fetch: o.fetch ?? globalThis.fetch,
    now,
    cooldownMs: o.jwksCooldownMs ?? 30_000,
    maxAgeMs: o.jwksMaxAgeMs ?? 3_600_000,
    timeoutMs: o.fetchTimeoutMs ?? 5_000,
  });
  const graphNonce = o.graphNonce ?? "verify-hashed";

  async function verifySignatureAndLifetime(token: string): Promise<JWTPayload> {
    const signed = !hasGraphNonce(token) ? token : graphNonce === "verify-hashed" ? restoreSignedGraphHeader(token) : undefined;
    if (signed === undefined) throw rejectInvalidToken("Access token validation failure: the header nonce is not accepted.");
    try {
      const { payload } = await jwtVerify(signed, (header) => keys.getKey(header), {
        algorithms: [ALGORITHM],
        audience: o.audiences,
        clockTolerance: o.clockSkewSeconds ?? 120,
        currentDate: now(),
        requiredClaims: ["exp", "iss", "aud"],
      });
      return payload;
    } catch (e) {
      throw translateJoseError(e);
    }
  }

  return {
    async verify(authorizationHeader) {
      const token = readBearerToken(authorizationHeader);
      checkHeader(token);
      const payload = await verifySignatureAndLifetime(token);
      const tenantId = checkTenantAndIssuer(payload, tenantIds);
      return classifyCaller(payload, tenantId);
    },
  };
}
