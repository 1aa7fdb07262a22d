import type { ErrorRequestHandler, RequestHandler } from "express";
import { AppError, DeliveryError, errors, isAppError } from "../errors.js";
import { GRAPH_JSON, graphErrorBody } from "../legacy/response.js";
import { isIdempotencyConflictError } from "../store/store.js";
import { isStoreUnavailable } from "../store/store-unavailable.js";
import { idsOf } from "./request-ids.js";

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
  encoding?: string;
  message?: string;
}

/** body-parser and raw-body failures, mapped onto the catalogue. */
function fromBodyParser(e: BodyParserError, limit: number): AppError | undefined {
  switch (e.type) {
    case "entity.too.large":
      return errors.payloadTooLarge(e.limit ?? limit);
    case "entity.parse.failed":
      return errors.malformedJson(e.message?.replace(/^Unexpected/, "unexpected") ?? "parse error");
    case "encoding.unsupported":
      return errors.unsupportedEncoding(e.encoding ?? "unknown");
    case "charset.unsupported":
      return errors.invalidRequest("The request body's charset is not supported; send UTF-8 JSON.");
    case "request.aborted":
    case "request.size.invalid":
    case "stream.encoding.set":
      return errors.invalidRequest("The request body could not be read completely.");
  }
  if (e.status === 400 && e.type === undefined && e.message?.includes("incorrect header check"))
    return errors.invalidRequest("The request body is not valid for its Content-Encoding.");
  return undefined;
}

/** NH failures in direct mode: throttling and outages are 503 (Retry-After passed on), the rest 502. */
function fromDelivery(e: DeliveryError): AppError {
  const retryAfterSeconds = e.retryAfterMs !== undefined ? Math.ceil(e.retryAfterMs / 1000) : undefined;
  if (e.status === 429 || e.status === 503 || e.status === undefined)
    return errors.upstreamUnavailable(`Notification Hubs is unavailable or throttling: ${e.message}`, retryAfterSeconds);
  return errors.upstreamFailed(`Notification Hubs refused the send: ${e.message}`);
}

export function toAppError(err: unknown, maxBodyBytes: number): AppError {
  if (isAppError(err)) return err;
  if (err instanceof DeliveryError) return fromDelivery(err);
  if (isIdempotencyConflictError(err))
    return errors.conflict(`The Idempotency-Key '${err.idempotencyKey}' was already used with different content (notification ${err.existingNotificationId}); use a new key for new content.`);
  if (err && typeof err === "object") {
    const e = err as BodyParserError & { code?: string };
    const mapped = fromBodyParser(e, maxBodyBytes);
    if (mapped) return mapped;
    if (e.code === "Z_DATA_ERROR" || e.code === "Z_BUF_ERROR")
      return errors.invalidRequest("The request body is not valid for its Content-Encoding.");
  }
  if (isStoreUnavailable(err)) return errors.storeUnavailable(err);
  return errors.internal(err);
}

/** The only place errors become HTTP: always the Graph error body, never a stack trace. */
export function createErrorHandler(o: { maxBodyBytes: number; now: () => Date; onError?: (e: AppError, raw: unknown) => void }): ErrorRequestHandler {
  return (err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const appError = toAppError(err, o.maxBodyBytes);
    o.onError?.(appError, err);
    for (const [k, v] of Object.entries(appError.headers)) res.setHeader(k, v);
    res.status(appError.status).type(GRAPH_JSON).send(JSON.stringify(graphErrorBody(appError.code, appError.message, idsOf(res), o.now())));
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(errors.notFound(`The resource '${req.path.slice(0, 200)}'`));
};
