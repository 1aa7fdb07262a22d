import type { RequestHandler, Response } from "express";
import { ipKeyGenerator, rateLimit, type Store } from "express-rate-limit";
import type { Caller } from "../auth/types.js";
import { errors } from "../errors.js";

export const limitUrlLength = (max: number): RequestHandler => (req, _res, next) =>
  req.originalUrl.length > max ? next(errors.uriTooLong(max)) : next();

function callerKey(res: Response, ip: string | undefined): string {
  const c = res.locals.caller as Caller | undefined;
  if (c && c.kind === "app") return `app:${c.tenantId}:${c.appId}`;
  if (c && c.kind === "delegated") return `user:${c.tenantId}:${c.userObjectId}`;
  return `ip:${ipKeyGenerator(ip ?? "unknown")}`;
}

/**
 * Per-caller fixed-window limit (calling app for app tokens, user for delegated, IP otherwise),
 * answered with a Graph-shaped 429 (or 406, the status the legacy page lists) and Retry-After.
 */
export function limitRate(o: { perMinute: number; status: number; now: () => Date; store?: Store }): RequestHandler {
  if (o.perMinute <= 0) return (_req, _res, next) => next();
  const windowSeconds = 60;
  return rateLimit({
    windowMs: windowSeconds * 1000,
    limit: o.perMinute,
    standardHeaders: "draft-6",
    // In a cluster (API_PROCESSES > 1) the counts live in the primary, so a caller's limit is per bridge, not per process.
    // If that primary does not answer, the request goes through (logged) rather than failing.
    ...(o.store ? { store: o.store, passOnStoreError: true } : {}),
    legacyHeaders: false,
    keyGenerator: (req, res) => callerKey(res, req.ip),
    // callerKey already passes IPs through ipKeyGenerator; the library's source heuristic cannot see that.
    validate: { keyGeneratorIpFallback: false },
    handler: (req, _res, next) => {
      const reset = (req as unknown as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      // The library's windows run on the wall clock, o.now may not: a wait is never longer than one window.
      const seconds = reset ? Math.min(windowSeconds, Math.max(1, Math.ceil((reset.getTime() - o.now().getTime()) / 1000))) : windowSeconds;
      next(errors.throttled(o.status, seconds));
    },
  });
}
