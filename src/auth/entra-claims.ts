import type { JWTPayload } from "jose";
import { errors } from "../errors.js";
import { rejectInvalidToken } from "./token-errors.js";
import { DELEGATED_PERMISSION, type Caller } from "./types.js";

/** Entra's two issuer spellings for a tenant: v1 (sts.windows.net) and v2 tokens. */
export const issuersForTenant = (tenantId: string): string[] => [
  `https://sts.windows.net/${tenantId}/`,
  `https://login.microsoftonline.com/${tenantId}/v2.0`,
];

const stringClaim = (payload: JWTPayload, name: string): string | undefined => {
  const value = payload[name];
  return typeof value === "string" && value.length > 0 ? value : undefined;
};

/**
 * The tid must be an allowed tenant AND the issuer must be that tenant's own, so a token from
 * another tenant cannot pass by naming an allowed tid, nor the reverse.
 */
export function checkTenantAndIssuer(payload: JWTPayload, allowedTenantIds: ReadonlySet<string>): string {
  const tid = stringClaim(payload, "tid")?.toLowerCase();
  if (!tid || !allowedTenantIds.has(tid)) {
    throw rejectInvalidToken("Access token validation failure: the token's tenant is not allowed.");
  }
  if (!payload.iss || !issuersForTenant(tid).includes(payload.iss.toLowerCase())) {
    throw rejectInvalidToken("Access token validation failure: invalid issuer.");
  }
  return tid;
}

/** scp is one space-separated string in Entra tokens. */
const readScopes = (payload: JWTPayload): string[] | undefined => {
  const scp = payload.scp;
  if (scp === undefined) return undefined;
  if (typeof scp !== "string") throw rejectInvalidToken("Access token validation failure: the scp claim is malformed.");
  return scp.split(" ").filter((s) => s.length > 0);
};

const isAppOnly = (payload: JWTPayload): boolean =>
  payload.idtyp === "app" ||
  Array.isArray(payload.roles) ||
  (payload.oid !== undefined && payload.oid === payload.sub);

/**
 * Tell app-only from delegated tokens the way Graph did: scp means a user is present; an app
 * token has idtyp=app, or roles, or oid equal to sub (both name the service principal).
 */
export function classifyCaller(payload: JWTPayload, tenantId: string): Caller {
  // appid in v1 tokens, azp in v2 tokens.
  const appId = (stringClaim(payload, "appid") ?? stringClaim(payload, "azp"))?.toLowerCase();
  if (!appId) throw rejectInvalidToken("Access token validation failure: the token names no application (appid/azp).");
  const scopes = readScopes(payload);
  if (scopes !== undefined) {
    const userObjectId = stringClaim(payload, "oid");
    if (!userObjectId) throw rejectInvalidToken("Access token validation failure: a delegated token must carry oid.");
    const wanted = DELEGATED_PERMISSION.toLowerCase();
    if (!scopes.some((s) => s.toLowerCase() === wanted)) {
      throw errors.forbidden(`Missing permission: a delegated token needs the ${DELEGATED_PERMISSION} scope.`);
    }
    return { kind: "delegated", appId, tenantId, userObjectId, scopes };
  }
  if (!isAppOnly(payload)) {
    throw rejectInvalidToken("Either scp or roles claim need to be present in the token.");
  }
  const subject = stringClaim(payload, "sub") ?? stringClaim(payload, "oid");
  if (!subject) throw rejectInvalidToken("Access token validation failure: the token has no subject.");
  return { kind: "app", appId, tenantId, subject };
}
