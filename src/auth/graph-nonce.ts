import { createHash } from "node:crypto";

const NONCE_MEMBER = /("nonce"\s*:\s*")([^"\\]*)(")/;

/**
 * Entra signs tokens for Microsoft Graph over a header whose `nonce` is base64url(SHA-256(nonce)),
 * then ships the plain nonce (undocumented; widely observed, e.g.
 * github.com/AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet/issues/609).
 * Returns the token with the header Entra actually signed, or the token unchanged when it has no
 * nonce. Only the nonce value is rewritten, so every other signed byte of the header is kept.
 * Returns undefined when the header has a nonce this function cannot rewrite safely.
 */
export function restoreSignedGraphHeader(token: string): string | undefined {
  const [encodedHeader, ...rest] = token.split(".");
  const headerJson = Buffer.from(encodedHeader, "base64url").toString("utf8");
  if (!headerJson.includes('"nonce"')) return token;
  const match = NONCE_MEMBER.exec(headerJson);
  if (!match || headerJson.indexOf('"nonce"', match.index + 1) !== -1) return undefined;
  const hashed = createHash("sha256").update(match[2], "utf8").digest("base64url");
  const signedJson = headerJson.replace(NONCE_MEMBER, (_all, open: string, _nonce, close: string) => `${open}${hashed}${close}`);
  return [Buffer.from(signedJson, "utf8").toString("base64url"), ...rest].join(".");
}

/** True when the token's header names a nonce (a token minted for Microsoft Graph). */
export function hasGraphNonce(token: string): boolean {
  const encodedHeader = token.slice(0, token.indexOf("."));
  return Buffer.from(encodedHeader, "base64url").toString("utf8").includes('"nonce"');
}
