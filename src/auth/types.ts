/** Who is calling, as established by the verifier. */
export type Caller =
  /** App-only token (client credentials): roles claim, no scp. */
  | { kind: "app"; appId: string; tenantId: string; subject: string }
  /** User token obtained on behalf of a user; the notification targets that user (oid). */
  | { kind: "delegated"; appId: string; tenantId: string; userObjectId: string; scopes: string[] }
  /** AUTH_MODE=none. */
  | { kind: "anonymous" };

export interface EntraAuthOptions {
  /** Allowed tenants (GUIDs). A token is accepted only when its tid and issuer name one of them. */
  tenantIds: string[];
  /** Accepted `aud` values; see DEFAULT_AUDIENCES. */
  audiences: string[];
  /** OpenID metadata document; its jwks_uri names the signing keys. See defaultOpenIdMetadataUrl. */
  openIdMetadataUrl: string;
  /** Leeway for exp/nbf. Default 120 s: enough for honest clock drift, short for a stolen expired token. */
  clockSkewSeconds?: number;
  now?: () => Date;
  fetch?: typeof fetch;
  /** Minimum interval between key refetches (unknown kid, failed fetch). Default 30 000 ms. */
  jwksCooldownMs?: number;
  /** Keys older than this are refetched on the next request (old keys kept if that fails). Default 1 h. */
  jwksMaxAgeMs?: number;
  /** Timeout of each metadata/JWKS request. Default 5 000 ms. */
  fetchTimeoutMs?: number;
  /**
   * Tokens minted for Microsoft Graph carry a `nonce` header whose SHA-256 was signed instead of
   * the value itself. 'verify-hashed' (default) checks the signature the way Entra made it;
   * 'reject' refuses such tokens. See docs/security.md.
   */
  graphNonce?: "verify-hashed" | "reject";
}

/** The permission a delegated token must carry, as Graph required for this API. */
export const DELEGATED_PERMISSION = "Notifications.ReadWrite.CreatedByApp";

/** Microsoft Graph's audience in its two spellings (resource URI and app id). */
export const DEFAULT_AUDIENCES: readonly string[] = [
  "https://graph.microsoft.com",
  "00000003-0000-0000-c000-000000000000",
];

export const defaultOpenIdMetadataUrl = (tenantId: string): string =>
  `https://login.microsoftonline.com/${encodeURIComponent(tenantId)}/v2.0/.well-known/openid-configuration`;
