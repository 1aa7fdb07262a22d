import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { HubDestination } from "../delivery/hubs/hub-destination.js";
import type { HubSender } from "../delivery/hubs/hub-sender.js";
import type { DeliveryStrategy } from "../delivery/strategy.js";
import type { RunningEmulator } from "../emulator/server.js";
import type { HealthRouter } from "../observability/health.js";
import type { BridgeMetrics } from "../observability/metrics.js";
import type { Tracing } from "../observability/tracing.js";
import type { OutboxThread } from "../outbox/thread/outbox-thread-host.js";
import type { CountedAttempt } from "../outbox/worker.js";
import type { BridgeRouting } from "../routing/bridge-routing.js";
import type { StoreHealth } from "../store/store-health.js";
import type { Store } from "../store/store.js";

/** Every part of a bridge, built from config; nothing is started except the embedded emulator and the outbox thread. */
export interface BridgeDeps {
  config: Config;
  now: () => Date;
  logger: Logger;
  tracing?: Tracing;
  /** The embedded emulator (no NOTIFICATIONHUBS_CONNECTION_STRING). */
  emulator?: RunningEmulator;
  /** Notification Hubs as configured, or the embedded emulator's. */
  connectionString?: string;
  /** The store as this loop uses it: every failure it sees feeds storeHealth (watchStore). */
  store?: Store;
  /** What this loop knows of its store: a store that cannot write takes readiness down and pauses claims. */
  storeHealth?: StoreHealth;
  /** The sender of this loop (hubs strategy): see buildLoopSending. */
  sender?: HubSender;
  /** The destination that sends on this loop, when one does. */
  destination?: HubDestination;
  outboxThread?: OutboxThread;
  strategy: DeliveryStrategy;
  metrics: BridgeMetrics;
  onAttempt: (e: CountedAttempt) => void;
  health: HealthRouter;
  /** ROUTING_FILE: the routing in force, its reload, its hubs and installations. */
  routing?: BridgeRouting;
}
