import type { Request } from "express";

/** Label used when no route matched (404s, rejected before routing), so raw URLs never become labels. */
export const UNMATCHED_ROUTE = "unmatched";

const matchedRoute = Symbol("gnb.matchedRoute");
type TrackedRequest = Request & { [matchedRoute]?: string };

/**
 * Records the full route pattern (mount path + route path) at the moment the router matches it.
 * Reading `req.baseUrl` at 'finish' is not enough: Express restores it to the parent's value when
 * an error leaves a mounted router, so `/beta/me/notifications` would be reported as `/me/notifications`.
 * Safe to call more than once per request.
 */
export function trackMatchedRoute(req: Request): void {
  const tracked = req as TrackedRequest;
  if (Object.prototype.hasOwnProperty.call(tracked, matchedRoute)) return;
  tracked[matchedRoute] = undefined;
  let route: Request["route"] = tracked.route;
  Object.defineProperty(tracked, "route", {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: Request["route"]) {
      route = value;
      if (value?.path !== undefined) tracked[matchedRoute] = `${tracked.baseUrl ?? ""}${String(value.path)}`;
    },
  });
}

/** The route pattern for logs and metric labels, e.g. `/beta/me/notifications/:id`. */
export function resolveRouteLabel(req: Request): string {
  const tracked = req as TrackedRequest;
  const recorded = tracked[matchedRoute];
  if (recorded) return recorded;
  if (req.route?.path !== undefined) return `${req.baseUrl ?? ""}${String(req.route.path)}`;
  return UNMATCHED_ROUTE;
}
