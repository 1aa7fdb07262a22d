import { Counter, Gauge, type Registry } from "prom-client";
import type { AttemptEvent } from "../outbox/process-delivery.js";
import type { StoredRouting } from "../store/store.js";

/** Routing's own metric families, beside the bridge's (whose labels stay as they were). */
export interface RoutingMetrics {
  routed: Counter<"route" | "destination" | "role">;
  deliveries: Counter<"destination" | "role" | "outcome">;
  reloads: Counter<"result">;
  loadedAt: Gauge;
}

export function createRoutingMetrics(registry: Registry, prefix = "gnb_"): RoutingMetrics {
  const registers = [registry];
  return {
    routed: new Counter({
      name: `${prefix}routed_notifications_total`,
      help: "Notifications accepted, by route and destination; a shadow copy counts once more with role=shadow",
      labelNames: ["route", "destination", "role"] as const,
      registers,
    }),
    deliveries: new Counter({
      name: `${prefix}destination_deliveries_total`,
      help: "Delivery attempts by destination (the single-hub settings: default), role (main or shadow) and outcome",
      labelNames: ["destination", "role", "outcome"] as const,
      registers,
    }),
    reloads: new Counter({
      name: `${prefix}routing_reloads_total`,
      help: "Reloads of ROUTING_FILE by result: applied, or refused (the previous routing stays in force)",
      labelNames: ["result"] as const,
      registers,
    }),
    loadedAt: new Gauge({
      name: `${prefix}routing_loaded_timestamp_seconds`,
      help: "When the routing in force was loaded (Unix seconds)",
      registers,
    }),
  };
}

export function recordRouted(m: RoutingMetrics, d: StoredRouting): void {
  m.routed.inc({ route: d.route, destination: d.destination, role: "main" });
  if (d.shadow) m.routed.inc({ route: d.route, destination: d.shadow, role: "shadow" });
}

export function recordDestinationAttempt(m: RoutingMetrics, e: Pick<AttemptEvent, "destination" | "role" | "outcome">, defaultName: string): void {
  m.deliveries.inc({ destination: e.destination ?? defaultName, role: e.role ?? "main", outcome: e.outcome });
}
