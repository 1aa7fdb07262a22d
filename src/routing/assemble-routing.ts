import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { HubsStrategy } from "../delivery/hubs/hubs-strategy.js";
import type { DeliveryStrategy, PreviewingStrategy } from "../delivery/strategy.js";
import type { ReadinessCheck } from "../observability/health.js";
import type { CountedAttempt } from "../outbox/process-delivery.js";
import type { DestinationSet } from "./destination-set.js";
import { createRoutedStrategy } from "./routed-strategy.js";
import type { ParsedRouting } from "./routing-file.js";
import { createRoutingMetrics, recordDestinationAttempt, recordRouted } from "./routing-metrics.js";
import { RoutingState } from "./routing-state.js";
import type { RoutingTable } from "./types.js";

export interface RoutingAssemblyOptions {
  table: RoutingTable;
  /** ROUTING_FILE, for display and logs. */
  source: string;
  /** Re-reads the file (reload). */
  load: () => ParsedRouting;
  /** The outbox hubs strategy over the store. */
  hubs: HubsStrategy;
  /** Builds Graph forwarding, the first time a routing names a graph destination. */
  buildGraph: () => Promise<DeliveryStrategy>;
  defaultTagTemplate: string;
  /** The hubs, when this loop sends (the outbox runs here); updated on every reload. */
  destinations?: DestinationSet;
  /** Readiness of a hub that sends elsewhere (the outbox thread). */
  remoteReady?: (destination: string) => Promise<void>;
  /** Tells the outbox that runs elsewhere (its thread) about a new table; throwing refuses the reload. */
  propagate?: (table: RoutingTable) => Promise<void>;
  registry: Registry;
  now: () => Date;
  logger: Logger;
}

export interface RoutingAssembly {
  state: RoutingState;
  strategy: PreviewingStrategy;
  /** One /readyz check per destination; a hub used only as a shadow is shown but does not decide. */
  readiness: () => ReadinessCheck[];
  /** Counts a delivery attempt by destination and role. */
  onAttempt: (e: CountedAttempt) => void;
}

const hasGraph = (t: RoutingTable) => Object.values(t.destinations).some((d) => d.type === "graph");

/** Destinations some notification can be delivered by (not only shadowed to). */
function deciding(t: RoutingTable): Set<string> {
  return new Set([t.default, ...t.routes.flatMap((r) => [r.destination, ...(r.canary ? [r.canary.destination] : [])])]);
}

/** Routing's parts over the bridge's: the routed strategy, the state reloads act on, readiness, metrics. */
export async function assembleRouting(o: RoutingAssemblyOptions): Promise<RoutingAssembly> {
  const metrics = createRoutingMetrics(o.registry);
  let graph: DeliveryStrategy | undefined;
  const apply = async (table: RoutingTable) => {
    if (hasGraph(table)) graph ??= await o.buildGraph();
    await o.destinations?.update(table);
    await o.propagate?.(table);
  };
  await apply(o.table);
  const state = new RoutingState({ initial: o.table, source: o.source, load: o.load, apply, now: o.now, logger: o.logger, metrics });
  const strategy = createRoutedStrategy({
    table: state.current,
    hubs: o.hubs,
    graph: () => graph,
    defaultTagTemplate: o.defaultTagTemplate,
    onRouted: (d) => {
      state.count(d);
      recordRouted(metrics, d);
    },
    onShadowError: (e, d) => o.logger.error({ err: e, route: d.route, shadow: d.shadow }, "shadow copy not stored; the caller's answer is unaffected"),
  });

  const hubReady = (name: string) => (o.destinations ? o.destinations.senderFor(name).checkReady() : o.remoteReady?.(name) ?? Promise.resolve());
  const readiness = (): ReadinessCheck[] => {
    const table = state.current();
    const decides = deciding(table);
    return Object.entries(table.destinations).map(([name, d]) => ({
      name: `destination:${name}`,
      advisory: !decides.has(name),
      check: d.type === "hubs" ? () => hubReady(name) : d.type === "graph" ? () => graph?.checkReady() ?? Promise.reject(new Error("Graph forwarding not built")) : () => Promise.resolve(),
    }));
  };
  return { state, strategy, readiness, onAttempt: (e) => recordDestinationAttempt(metrics, e, state.current().default) };
}
