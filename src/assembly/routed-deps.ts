import { loadRoutingFile, type Config } from "../config.js";
import type { HubDestination } from "../delivery/hubs/hub-destination.js";
import type { HealthRouter, ReadinessCheck } from "../observability/health.js";
import { traceSender } from "../observability/traced-delivery.js";
import { startOutboxThread } from "../outbox/thread/outbox-thread-host.js";
import type { CountedAttempt } from "../outbox/worker.js";
import { buildBridgeRouting } from "../routing/bridge-routing.js";
import { redactRouting } from "../routing/redact-routing.js";
import type { RoutingTable } from "../routing/types.js";
import type { StoreHealth } from "../store/store-health.js";
import type { Store } from "../store/store.js";
import type { BridgeDeps } from "./bridge-deps.js";
import { buildGraphStrategy } from "./graph-strategy.js";
import type { BridgeOverrides } from "./types.js";

type Base = Omit<BridgeDeps, "strategy" | "health" | "store" | "storeHealth"> & { store: Store; storeHealth: StoreHealth };

/**
 * The bridge with ROUTING_FILE (docs/routing.md): the routed strategy, a hub per destination where
 * the outbox runs (this loop, or the outbox thread, which builds its own and follows reloads), one
 * readiness check per destination, and the routing state reloads act on.
 */
export async function buildRoutedDeps(
  c: Config & { routing: RoutingTable },
  o: BridgeOverrides,
  base: Base,
  health: (destinations: () => ReadinessCheck[]) => HealthRouter,
): Promise<BridgeDeps> {
  const { logger, now } = base;
  for (const w of c.routingWarnings ?? []) logger.warn({ file: c.ROUTING_FILE }, `routing file: ${w}`);
  logger.info({ file: c.ROUTING_FILE, routing: redactRouting(c.routing) }, "routing loaded");
  let countAttempt: (e: CountedAttempt) => void = () => undefined;
  const onAttempt = (e: CountedAttempt) => {
    base.onAttempt(e);
    countAttempt(e);
  };
  const outboxThread = c.outboxOnThread ? await startOutboxThread({ config: c, connectionString: "" }, { logger, onAttempt }) : undefined;
  const routing = await buildBridgeRouting({
    config: c, store: base.store, now, logger, registry: base.metrics.registry,
    load: o.loadRouting ?? (() => loadRoutingFile(c, {})),
    buildGraph: () => buildGraphStrategy(c, o.fetch),
    outboxElsewhere: outboxThread && { checkReady: (d) => outboxThread.checkReady(d), applyRouting: (t) => outboxThread.applyRouting(t) },
  });
  countAttempt = routing.onAttempt;
  const sender = traceSender(routing.sender, base.tracing?.tracer);
  // The hubs that send on this loop, as the one "destination" the loop's outbox sends through.
  const destination: HubDestination | undefined = outboxThread ? undefined : { name: "routing", hubName: c.ROUTING_FILE ?? "", sender, close: () => routing.close() };
  return { ...base, onAttempt, sender, destination, outboxThread, strategy: routing.strategy, routing, health: health(routing.readiness) };
}
