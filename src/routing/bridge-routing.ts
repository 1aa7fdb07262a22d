import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { Config } from "../config.js";
import type { HubInstallations } from "../devices/hub-installations.js";
import { isHttpEndpoint } from "../emulator/client-options.js";
import type { HubSender } from "../delivery/hubs/hub-sender.js";
import { createNotificationHubsStrategy } from "../delivery/hubs/hubs-strategy.js";
import type { DeliveryStrategy, PreviewingStrategy } from "../delivery/strategy.js";
import type { ReadinessCheck } from "../observability/health.js";
import type { CountedAttempt } from "../outbox/process-delivery.js";
import type { Store } from "../store/store.js";
import { assembleRouting } from "./assemble-routing.js";
import { DestinationSet, routedHubSender, type HubFactory } from "./destination-set.js";
import { routingHubFactory } from "./hub-factory.js";
import { routedHubInstallations } from "./routed-installations.js";
import type { ParsedRouting } from "./routing-file.js";
import type { RoutingState } from "./routing-state.js";
import type { HubsDestination, RoutingTable } from "./types.js";

/** Where the outbox of this process runs, as routing needs to know it. */
export interface RoutingOutbox {
  /** Readiness of a hub, asked of the thread that sends. */
  checkReady(destination: string): Promise<void>;
  /** Hands a new table to the thread that sends; rejects when it cannot build a hub. */
  applyRouting(table: RoutingTable): Promise<void>;
}

export interface BridgeRoutingOptions {
  config: Config & { routing: RoutingTable };
  store: Store;
  now: () => Date;
  logger: Logger;
  registry: Registry;
  /** Re-reads ROUTING_FILE (config.ts's loadRoutingFile, with the environment). */
  load: () => ParsedRouting;
  /** Builds Graph forwarding (GRAPH_* settings), the first time a routing names a graph destination. */
  buildGraph: () => Promise<DeliveryStrategy>;
  /** Builds one hub that sends on this loop; default: an SDK client and sender of its own. */
  hubFactory?: HubFactory;
  /** The outbox elsewhere (its thread), or undefined when it runs on this loop. */
  outboxElsewhere?: RoutingOutbox;
}

export interface BridgeRouting {
  strategy: PreviewingStrategy;
  state: RoutingState;
  /** For the outbox on this loop: sends each delivery to the hub recorded with it. */
  sender: HubSender;
  readiness: () => ReadinessCheck[];
  installations: HubInstallations;
  onAttempt: (e: CountedAttempt) => void;
  close(): Promise<void>;
}

/** Everything ROUTING_FILE adds to a bridge process, built from config. */
export async function buildBridgeRouting(o: BridgeRoutingOptions): Promise<BridgeRouting> {
  const c = o.config;
  const destinations = o.outboxElsewhere ? undefined : new DestinationSet(o.hubFactory ?? routingHubFactory(c, o.now, c.NH_SEND_THREADS), o.now);
  const sender: HubSender = destinations
    ? routedHubSender(destinations)
    : { send: () => Promise.reject(new Error("sends run on the outbox thread")), checkReady: () => Promise.resolve() };
  const hubs = createNotificationHubsStrategy({
    sender, tagTemplate: c.TARGET_TAG_TEMPLATE, iosFallbackMode: c.IOS_FALLBACK_MODE, now: o.now,
    mode: { kind: "outbox", store: o.store }, feed: c.FEED === "on",
  });
  const routing = await assembleRouting({
    table: c.routing, source: c.ROUTING_FILE ?? "", load: o.load, hubs, buildGraph: o.buildGraph,
    defaultTagTemplate: c.TARGET_TAG_TEMPLATE, destinations,
    remoteReady: o.outboxElsewhere && ((name) => o.outboxElsewhere!.checkReady(name)),
    propagate: o.outboxElsewhere && ((table) => o.outboxElsewhere!.applyRouting(table)),
    registry: o.registry, now: o.now, logger: o.logger,
  });
  const installations = routedHubInstallations({
    table: routing.state.current,
    client: async (d: HubsDestination) => {
      const { createHubClient } = await import("../delivery/hubs/hub-client.js");
      return createHubClient({ connectionString: d.connectionString, hubName: d.hubName, allowInsecureHttp: isHttpEndpoint(d.connectionString) });
    },
    timeoutMs: c.NH_TIMEOUT_MS, now: o.now,
  });
  return { ...routing, sender, installations, close: async () => destinations?.close() };
}
