import { endpointOf } from "../delivery/hubs/connection-string.js";
import type { RoutingTable } from "./types.js";

/**
 * The routing table as it may be shown (GET /bridge/routing, start-up log): each hub's connection
 * string replaced by where it came from (`env:NAME`, or `literal (redacted)`) and its endpoint.
 */
export function redactRouting(t: RoutingTable) {
  const destinations = Object.fromEntries(Object.entries(t.destinations).map(([name, d]) => {
    if (d.type !== "hubs") return [name, d];
    const { connectionString, connectionStringSource, ...rest } = d;
    const source = connectionStringSource === "literal" ? "literal (redacted)" : connectionStringSource;
    return [name, { ...rest, connectionString: source, endpoint: endpointOf(connectionString) ?? null }];
  }));
  return { destinations, routes: t.routes, default: t.default };
}
