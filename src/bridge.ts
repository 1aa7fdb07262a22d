import type { Config } from "./config.js";
import { createBridgeApp } from "./assembly/bridge-app.js";
import { buildDeps, type BridgeDeps } from "./assembly/build-deps.js";
import { closeDeps } from "./assembly/close-deps.js";
import { listen } from "./assembly/listen.js";
import type { BridgeOverrides, RunningBridge } from "./assembly/types.js";
import { reportHubKeyAtStartup } from "./delivery/hubs/startup-hub-check.js";
import { createOutbox, outboxSettingsOf } from "./outbox/create-outbox.js";
import type { OutboxWorker } from "./outbox/worker.js";

export type { BridgeOverrides, ClusterWorkerLink, RunningBridge } from "./assembly/types.js";

/** Builds the bridge from config (buildDeps), serves it, then starts the outbox on this loop if it runs here. */
export async function startBridge(c: Config, o: BridgeOverrides = {}): Promise<RunningBridge> {
  const deps = await buildDeps(c, o);
  const worker = loopOutbox(deps);
  const running = describe(deps, worker);
  const closeAll = once(() => closeDeps(deps, worker));
  if (c.BRIDGE_STRATEGY === "hubs" && !o.clusterWorker && !c.routing) void reportHubKeyAtStartup({ checkReady: () => uncachedHubCheck(deps), logger: deps.logger, hub: c.NOTIFICATION_HUB_NAME });
  if (o.serveHttp === false) {
    worker?.start();
    return { ...running, url: "", shutdown: closeAll };
  }
  const server = await listen(await createBridgeApp(deps, o), c).catch(async (e: unknown) => {
    await closeAll(); // the emulator, store and outbox thread built above
    throw e;
  });
  worker?.start();
  const shutdown = once(async () => {
    deps.health.markShuttingDown();
    await server.drain();
    await closeAll();
  });
  return { ...running, url: server.url, shutdown };
}

/**
 * The outbox on this loop: OUTBOX_THREAD=false, sqlite::memory:, or a BRIDGE_ROLE=worker process.
 * Not with the outbox on its thread (see buildLoopSending), nor in a BRIDGE_ROLE=api process.
 */
function loopOutbox(d: BridgeDeps): OutboxWorker | undefined {
  if (!d.store || !d.destination || d.config.BRIDGE_ROLE === "api") return undefined;
  return createOutbox({
    store: d.store, sender: d.sender!, now: d.now, settings: outboxSettingsOf(d.config), health: d.storeHealth,
    tracer: d.tracing?.tracer, logger: d.logger, onAttempt: d.onAttempt,
  });
}

function describe(d: BridgeDeps, worker: OutboxWorker | undefined): Omit<RunningBridge, "url" | "shutdown"> {
  return {
    emulatorUrl: d.emulator?.url,
    connectionString: d.emulator ? d.connectionString : undefined,
    store: d.store, worker, outboxThread: d.outboxThread, logger: d.logger, metrics: d.metrics,
    checkStrategyReady: () => d.strategy.checkReady(),
    ...(d.routing ? { reloadRouting: (trigger: string) => d.routing!.state.reload(trigger) } : {}),
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}

/**
 * The start-up hub check asks the hub itself, past /readyz's cache: a healthy answer at start-up
 * must not keep /readyz saying ready for READY_CACHE_MS when the hub starts refusing right after.
 */
function uncachedHubCheck(deps: BridgeDeps): Promise<void> {
  if (deps.destination) return deps.destination.sender.checkReady();
  if (deps.outboxThread) return deps.outboxThread.checkReady();
  return deps.strategy.checkReady();
}
