import { rejectInvalidToken, rejectMissingToken } from "./token-errors.js";

/** Entra tokens run to a few KiB; anything far larger is refused before any parsing. */
const MAX_TOKEN_CHARS = 16_384;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

/** Take the token out of an `Authorization: Bearer <token>` header value (scheme case-insensitive). */
export function readBearerToken(authorizationHeader: string | undefined): string {
  const value = authorizationHeader?.trim();
  if (!value) throw rejectMissingToken("Access token is empty.");
  const match = /^Bearer[ \t]+(\S+)$/i.exec(value);
  if (!match) throw rejectMissingToken("Access token is missing: send 'Authorization: Bearer <token>'.");
  const token = match[1];
  if (token.length > MAX_TOKEN_CHARS || !COMPACT_JWS.test(token)) {
    throw rejectInvalidToken("Access token validation failure: the token is not a well-formed JWT.");
  }
  return token;
}
