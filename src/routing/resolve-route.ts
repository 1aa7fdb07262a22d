import { canaryBucket, inCanary } from "./canary-bucket.js";
import type { Route, RouteDecision, RoutingTable } from "./types.js";

/** What routing looks at: the notification's host, the calling app, and the user. */
export interface RouteInput {
  targetHostName: string;
  /** The calling app's id (app or delegated token); absent for anonymous callers. */
  appId?: string;
  /** The UNS ID (subscription id) the notification is for: the canary's sticky key. */
  unsId: string;
}

export const DEFAULT_ROUTE = "default";

function matches(route: Route, input: RouteInput): boolean {
  const { targetHostName, appId } = route.match;
  if (targetHostName !== undefined && targetHostName !== input.targetHostName.toLowerCase()) return false;
  if (appId !== undefined && appId !== input.appId?.toLowerCase()) return false;
  return true;
}

/**
 * The first route whose every `match` field equals the input wins (host names and app ids
 * compared case-insensitively); no match goes to the file's `default`. Pure: the same table and
 * input always give the same decision.
 */
export function resolveRoute(table: RoutingTable, input: RouteInput): RouteDecision {
  const route = table.routes.find((r) => matches(r, input));
  if (!route) return { route: DEFAULT_ROUTE, destination: table.default };
  let destination = route.destination;
  let canary: RouteDecision["canary"];
  if (route.canary) {
    const bucket = canaryBucket(route.name, input.unsId);
    const chosen = inCanary(bucket, route.canary.percent);
    canary = { bucket, percent: route.canary.percent, chosen };
    if (chosen) destination = route.canary.destination;
  }
  // A shadow that is the chosen destination already gets the notification once, not twice.
  const shadow = route.shadow !== undefined && route.shadow !== destination ? route.shadow : undefined;
  return { route: route.name, destination, ...(shadow ? { shadow } : {}), ...(canary ? { canary } : {}) };
}
