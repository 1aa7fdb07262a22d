import type { Request } from "express";

/** Label used when no route matched (404s, rejected before routing), so raw URLs never become labels. */
export const UNMATCHED_ROUTE = "unmatched";

const matchedRoute = Symbol("gnb.matchedRoute");
const routeValue = Symbol("gnb.route");
const tracking = Symbol("gnb.routeTracking");
type TrackedRequest = Request & { [matchedRoute]?: string; [routeValue]?: Request["route"] };

/**
 * Records the full route pattern (mount path + route path) at the moment the router matches it.
 * Reading `req.baseUrl` at 'finish' is not enough: Express restores it to the parent's value when
 * an error leaves a mounted router, so `/beta/me/notifications` would be reported as `/me/notifications`.
 *
 * The router sets `req.route` on a match; an accessor for it, defined once on the app's request
 * prototype (the one Express gives every request), sees the assignment. Defined on each request
 * instead, it gave every request its own V8 map, held from the old generation, and kept the
 * request's objects alive through young-generation GCs
 * (docs/designs/2026-11-request-objects-and-gc.md). Safe to call more than once per request and
 * per app.
 */
export function trackMatchedRoute(req: Request): void {
  const proto = Object.getPrototypeOf(req) as object | null;
  if (proto === null || Object.prototype.hasOwnProperty.call(proto, tracking)) return;
  Object.defineProperty(proto, tracking, { value: true });
  Object.defineProperty(proto, "route", {
    configurable: true,
    enumerable: true,
    get(this: TrackedRequest) {
      return this[routeValue];
    },
    set(this: TrackedRequest, value: Request["route"]) {
      this[routeValue] = value;
      if (value?.path !== undefined) this[matchedRoute] = `${this.baseUrl ?? ""}${String(value.path)}`;
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
