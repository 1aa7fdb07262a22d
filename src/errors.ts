/**
 * The one error catalogue. Every failure the bridge reports to a caller is an AppError made
 * here; only src/http/error-handler.ts turns it into HTTP (always the Graph error body).
 */
export interface AppErrorOptions {
  details?: unknown;
  cause?: unknown;
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: unknown;
  readonly headers: Record<string, string>;

  constructor(code: string, status: number, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = status;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** What a caller is told to wait while the store is down: about one PostgreSQL restart. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** Graph's own error codes where Graph had one; ours in UPPER_SNAKE otherwise. */
export const errors = {
  invalidRequest: (message: string, details?: unknown) =>
    new AppError("BadRequest", 400, message, { details }),
  multipleNotifications: () =>
    new AppError("BadRequest", 400, "Multiple notifications are not supported: send one JSON object, not an array."),
  malformedJson: (reason: string) =>
    new AppError("BadRequest", 400, `The request body is not valid JSON: ${reason}`),
  unsupportedConditionalHeader: (header: string) =>
    new AppError("BadRequest", 400, `The ${header} header is not supported on this request.`),
  missingUnsId: () =>
    new AppError("BadRequest", 400, "The X-UNS-ID header is required: it names the user notification subscription to target."),
  unauthenticated: (message: string, wwwAuthenticate: string) =>
    new AppError("InvalidAuthenticationToken", 401, message, { headers: { "WWW-Authenticate": wwwAuthenticate } }),
  forbidden: (message: string) => new AppError("Forbidden", 403, message),
  notFound: (what = "The requested resource") =>
    new AppError("ResourceNotFound", 404, `${what} does not exist.`),
  methodNotAllowed: (method: string, allowed: string[]) =>
    new AppError("MethodNotAllowed", 405, `The ${method} method is not supported on this resource; use ${allowed.join(", ")}.`, {
      headers: { Allow: allowed.join(", ") },
    }),
  conflict: (message: string) => new AppError("Conflict", 409, message),
  preconditionFailed: (message: string) => new AppError("PreconditionFailed", 412, message),
  routingFileRefused: (problems: string[]) =>
    new AppError("UnprocessableEntity", 422, `The routing file was refused; the previous routing stays in force: ${problems.join("; ")}`, { details: problems }),
  replayOfExpired: (expiresAt: Date) =>
    new AppError("Conflict", 409, `The delivery's notification expired at ${expiresAt.toISOString()}; an expired notification is never sent, so it cannot be replayed. Send a new notification instead.`),
  payloadTooLarge: (limitBytes: number) =>
    new AppError("RequestEntityTooLarge", 413, `The request body exceeds the limit of ${limitBytes} bytes.`),
  unsupportedEncoding: (encoding: string) =>
    new AppError("UnsupportedMediaType", 415, `Content-Encoding '${encoding}' is not supported; use gzip, deflate or none.`),
  uriTooLong: (limit: number) => new AppError("RequestUriTooLong", 414, `The request URL is longer than ${limit} characters.`),
  unsupportedMediaType: (type: string) =>
    new AppError("UnsupportedMediaType", 415, `Content-Type '${type}' is not supported; send application/json.`),
  throttled: (status: number, retryAfterSeconds: number) =>
    new AppError("TooManyRequests", status, `Too many requests; retry after ${retryAfterSeconds} seconds.`, {
      headers: { "Retry-After": String(retryAfterSeconds) },
    }),
  upstreamUnavailable: (message: string, retryAfterSeconds?: number, cause?: unknown) =>
    new AppError("ServiceUnavailable", 503, message, {
      headers: retryAfterSeconds !== undefined ? { "Retry-After": String(retryAfterSeconds) } : {},
      cause,
    }),
  upstreamFailed: (message: string) => new AppError("BadGateway", 502, message),
  notReady: (reason: string) => new AppError("ServiceUnavailable", 503, reason),
  /**
   * The database cannot serve (restarting, unreachable, disk full, locked). The accept did not
   * complete; if the connection broke during COMMIT it may still have been stored, which is why
   * the caller is told to retry with the same Idempotency-Key (docs/delivery.md).
   */
  storeUnavailable: (cause?: unknown) =>
    new AppError(
      "ServiceUnavailable", 503,
      `The bridge's database is unavailable, so the request could not be completed. Retry after ${STORE_RETRY_AFTER_SECONDS} seconds, with the same Idempotency-Key so that a retry can never send twice.`,
      { headers: { "Retry-After": String(STORE_RETRY_AFTER_SECONDS) }, cause },
    ),
  internal: (cause?: unknown) =>
    new AppError("InternalServerError", 500, "An unexpected error occurred. Quote the request-id when reporting it.", { cause }),
} as const;

/**
 * A failed attempt to hand a send to an upstream (Notification Hubs or Graph), classified once
 * by classifyUpstreamStatus so retries and dead letters follow one rule.
 */
export class DeliveryError extends Error {
  readonly status?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  /** No response within the send timeout (as opposed to a refused or reset connection). */
  readonly timedOut?: boolean;

  constructor(message: string, o: { status?: number; retryable: boolean; retryAfterMs?: number; timedOut?: boolean; cause?: unknown }) {
    super(message, { cause: o.cause });
    this.name = "DeliveryError";
    this.status = o.status;
    this.retryable = o.retryable;
    this.retryAfterMs = o.retryAfterMs;
    if (o.timedOut) this.timedOut = true;
  }
}

/** Thrown by a sender when the delivery is no longer needed (e.g. every device acknowledged): cancelled, not retried. */
export class DeliveryNotNeeded extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "DeliveryNotNeeded";
  }
}

/** 429/408/5xx and network failures are worth retrying; 400/401/403/404/413 and the rest are final. */
export function classifyUpstreamStatus(status: number | undefined): { retryable: boolean } {
  if (status === undefined) return { retryable: true }; // timeout, reset, refused
  if (status === 429 || status === 408) return { retryable: true };
  if (status >= 500 && status !== 501 && status !== 505) return { retryable: true };
  return { retryable: false };
}

/** Parse an HTTP Retry-After (delta seconds or HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
