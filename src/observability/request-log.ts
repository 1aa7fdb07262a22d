import type { RequestHandler, Request, Response } from "express";
import type { Logger } from "pino";
import { resolveRouteLabel, trackMatchedRoute } from "./route-label.js";

export interface RequestLogOptions {
  logger: Logger;
  /** Delivery strategy name (BRIDGE_STRATEGY), repeated on each line so mixed fleets can be told apart. */
  strategy: string;
  /** Monotonic milliseconds; defaults to performance.now(). */
  now?: () => number;
}

/**
 * Writes exactly one `request` line per request when the response finishes or the client goes away.
 * Level: info below 500, error from 500. Put it first in the pipeline so it times everything.
 */
export function createRequestLogMiddleware(o: RequestLogOptions): RequestHandler {
  const now = o.now ?? (() => performance.now());
  return (req, res, next) => {
    const startedAt = now();
    trackMatchedRoute(req);
    let logged = false;
    const writeLine = (): void => {
      if (logged) return;
      logged = true;
      // Below 500 the line is info: skip building it when info lines are not written (LOG_LEVEL=warn and up).
      if (res.statusCode < 500 && !o.logger.isLevelEnabled("info")) return;
      const line = describeRequest(req, res, { strategy: o.strategy, durationMs: now() - startedAt });
      if (line.status >= 500) o.logger.error(line, "request");
      else o.logger.info(line, "request");
    };
    res.once("finish", writeLine);
    res.once("close", writeLine);
    next();
  };
}

interface RequestLine {
  requestId?: string;
  clientRequestId?: string;
  caller?: string;
  strategy: string;
  method: string;
  route: string;
  path: string;
  status: number;
  durationMs: number;
  aborted?: true;
  /** ROUTING_FILE: the route and destination a notification took. */
  routing?: { route: string; destination: string; shadow?: string };
}

function describeRequest(
  req: Request,
  res: Response,
  extra: { strategy: string; durationMs: number },
): RequestLine {
  const line: RequestLine = {
    requestId: asString(res.locals.requestId) ?? asString(res.getHeader("request-id")),
    // Client-controlled, so bounded.
    clientRequestId: asString(req.get("client-request-id") ?? res.getHeader("client-request-id"))?.slice(0, 128),
    caller: asString(res.locals.callerAppId),
    strategy: extra.strategy,
    method: req.method,
    route: resolveRouteLabel(req),
    // Path without the query string: queries may carry tokens (e.g. ?code=) and are not needed here.
    path: req.originalUrl.split("?")[0],
    status: res.statusCode,
    durationMs: Math.round(extra.durationMs * 1000) / 1000,
  };
  if (!res.writableFinished) line.aborted = true;
  const routing = res.locals.routing as RequestLine["routing"] | undefined;
  if (routing) line.routing = { route: routing.route, destination: routing.destination, ...(routing.shadow ? { shadow: routing.shadow } : {}) };
  return line;
}

function asString(value: unknown): string | undefined {
  if (typeof value === "string" && value.length > 0) return value;
  if (typeof value === "number") return String(value);
  return undefined;
}
