import { AppError, errors } from "../errors.js";

// Graph's own challenge, so legacy clients that parse it keep working; RFC 6750 §3 adds error fields.
const GRAPH_CHALLENGE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", ' +
  'client_id="00000003-0000-0000-c000-000000000000"';

/** A quoted-string must not carry quotes, backslashes or control characters (RFC 9110 §5.6.4). */
const toQuotedSafe = (text: string): string => text.replace(/["\\\p{Cc}]/gu, "'");

/** 401 when no credentials were sent: per RFC 6750 §3.1 the challenge carries no error code. */
export function rejectMissingToken(message: string): AppError {
  return errors.unauthenticated(message, GRAPH_CHALLENGE);
}

/** 401 for a token that was sent but is not acceptable. The message never quotes the token. */
export function rejectInvalidToken(message: string): AppError {
  const challenge = `${GRAPH_CHALLENGE}, error="invalid_token", error_description="${toQuotedSafe(message)}"`;
  return errors.unauthenticated(message, challenge);
}
