import type { Logger } from "pino";
import type { Config } from "../config.js";
import { createNotificationHubsStrategy } from "../delivery/hubs/hubs-strategy.js";
import type { DeliveryStrategy } from "../delivery/strategy.js";
import type { RunningEmulator } from "../emulator/server.js";
import { createHealthRouter, type HealthRouter, type ReadinessCheck } from "../observability/health.js";
import { loadTracing } from "../observability/load-tracing.js";
import { createLogger } from "../observability/logger.js";
import { createMetrics, recordDeliveryAttempt } from "../observability/metrics.js";
import type { CountedAttempt } from "../outbox/worker.js";
import { openStore } from "../store/open-store.js";
import { createStoreHealth } from "../store/logged-store-health.js";
import { watchStore, type StoreHealth } from "../store/store-health.js";
import type { Store } from "../store/store.js";
import { namingSetting } from "../startup-failure.js";
import { buildGraphStrategy } from "./graph-strategy.js";
import { buildLoopSending } from "./loop-sender.js";
import { buildRoutedDeps } from "./routed-deps.js";
import type { BridgeDeps } from "./bridge-deps.js";
import type { BridgeOverrides } from "./types.js";

export type { BridgeDeps } from "./bridge-deps.js";

/** The one place a bridge is built: store, senders, strategy, metrics, health. */
export async function buildDeps(c: Config, o: BridgeOverrides = {}): Promise<BridgeDeps> {
  const now = o.now ?? (() => new Date());
  const logger = o.logger ?? createLogger({ level: c.LOG_LEVEL, base: { service: c.OTEL_SERVICE_NAME } });
  const tracing = o.tracing ?? await loadTracing({ endpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: c.OTEL_SERVICE_NAME });
  const emulator = c.embeddedEmulator ? await startEmbeddedEmulator(c) : undefined;
  const connectionString = emulator?.connectionString() ?? c.NOTIFICATIONHUBS_CONNECTION_STRING;
  const { store, storeHealth } = c.BRIDGE_STRATEGY === "hubs" && c.DELIVERY_MODE === "outbox" ? await openWatchedStore(c, o, logger) : {};
  // In a cluster the primary reports the outbox gauges once; its API processes would repeat them.
  const metrics = createMetrics({ outboxStats: store && !o.clusterWorker ? () => store.outboxStats(now()) : undefined });
  const onAttempt = (e: CountedAttempt) => recordDeliveryAttempt(metrics, { platform: e.platform, outcome: e.outcome, latencyMs: e.latencyMs, status: e.status, timedOut: e.timedOut });
  const base = { config: c, now, logger, tracing, emulator, connectionString, store, storeHealth, metrics, onAttempt };
  if (c.routing && store) return buildRoutedDeps({ ...c, routing: c.routing }, o, { ...base, store, storeHealth: storeHealth! }, (extra) => buildHealth(c, undefined, { store, storeHealth: storeHealth! }, extra));
  if (c.BRIDGE_STRATEGY === "graph") {
    const strategy = await buildGraphStrategy(c, o.fetch);
    return { ...base, strategy, health: buildHealth(c, strategy) };
  }
  const sending = await buildLoopSending(c, { connectionString: connectionString ?? "", now, logger, tracer: tracing?.tracer, onAttempt, clusterWorker: o.clusterWorker });
  const strategy = createNotificationHubsStrategy({
    sender: sending.sender, tagTemplate: c.TARGET_TAG_TEMPLATE, iosFallbackMode: c.IOS_FALLBACK_MODE, now,
    mode: store ? { kind: "outbox", store } : { kind: "direct" }, feed: c.FEED === "on",
  });
  return { ...base, ...sending, strategy, health: buildHealth(c, strategy, store && { store, storeHealth: storeHealth! }) };
}

async function startEmbeddedEmulator(c: Config): Promise<RunningEmulator> {
  const { startEmulator } = await import("../emulator/server.js"); // loaded only on the embedded default
  const start = () => startEmulator({ port: c.EMULATOR_PORT, host: "127.0.0.1", accessKey: c.EMULATOR_ACCESS_KEY, stateFile: c.EMULATOR_STATE_FILE });
  return namingSetting("EMULATOR_PORT", String(c.EMULATOR_PORT), start);
}

/**
 * The connection that delivers runs the SQLite WAL checkpoints: the outbox thread's, or in a
 * cluster the primary's. Accepting connections then never copy the WAL into the database.
 */
async function openAndMigrate(c: Config, o: BridgeOverrides): Promise<Store> {
  const store = await openStore(c.DATABASE_URL, { walCheckpoints: !c.outboxOnThread && !o.clusterWorker, outboxOnly: c.BRIDGE_ROLE === "worker", commitDelayMs: c.SQLITE_COMMIT_DELAY_MS });
  try {
    await store.migrate();
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  return store;
}

/** Every failure of this loop's store is seen by its health: a store that cannot write takes readiness down. */
async function openWatchedStore(c: Config, o: BridgeOverrides, logger: Logger): Promise<{ store: Store; storeHealth: StoreHealth }> {
  const opened = await namingSetting("DATABASE_URL", c.DATABASE_URL, () => openAndMigrate(c, o));
  const storeHealth = createStoreHealth(opened, logger, "readiness is false and accepts answer 503");
  return { store: watchStore(opened, storeHealth, { waitWhileDown: ["acceptNotification"] }), storeHealth };
}

/** /readyz: the store, then the strategy's upstream; with ROUTING_FILE each destination instead (`extra`, which changes on reload). */
function buildHealth(c: Config, strategy: DeliveryStrategy | undefined, s?: { store: Store; storeHealth: StoreHealth }, extra?: () => ReadinessCheck[]): HealthRouter {
  const storeCheck = async ({ store, storeHealth }: { store: Store; storeHealth: StoreHealth }) => {
    await storeHealth.check();
    await store.ping();
    if (!(await store.migrationsApplied())) throw new Error("migrations not applied");
  };
  const fixed: ReadinessCheck[] = [
    ...(s ? [{ name: "store", check: () => storeCheck(s) }] : []),
    ...(strategy ? [{ name: c.BRIDGE_STRATEGY === "graph" ? "graph" : "notification-hubs", check: () => strategy.checkReady() }] : []),
  ];
  return createHealthRouter({ checks: extra ? () => [...fixed, ...extra()] : fixed });
}
