import cluster from "node:cluster";
import type { Logger } from "pino";
import { ConfigError, loadConfig, loadRoutingFile, redactConfig, type Config } from "./config.js";
import { startBridge, type RunningBridge } from "./bridge.js";
import { createApiProcessLink } from "./cluster/api-process-link.js";
import { startClusterPrimary } from "./cluster/primary.js";
import { createLogger } from "./observability/logger.js";
import { printWelcome } from "./welcome.js";

/**
 * Entry point: config → bridge → listen; SIGTERM/SIGINT drain within SHUTDOWN_TIMEOUT_MS.
 * With API_PROCESSES > 1 this process becomes a cluster primary and its forks run the API.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  if (cluster.isWorker && config.BRIDGE_API_PROCESS) return runApiProcess(config, cluster.worker!.id);

  const c = config;
  const bridge = c.API_PROCESSES > 1 ? await startClusterPrimary(c) : await startBridge(c, { loadRouting: () => loadRoutingFile(c, process.env) });
  const { logger } = bridge;
  if (config.AUTH_MODE === "none")
    logger.warn({ host: config.HOST }, "AUTH_MODE=none: every caller that can reach this port can notify every user. Use AUTH_MODE=entra in production.");
  logger.info({ url: bridge.url, apiProcesses: config.API_PROCESSES, config: redactConfig(config) }, "bridge listening");
  if (config.embeddedEmulator) printWelcome({ bridgeUrl: bridge.url, emulatorUrl: bridge.emulatorUrl!, hub: config.NOTIFICATION_HUB_NAME, connectionString: bridge.connectionString! });
  stopOnSignals(config, bridge);
  if (c.API_PROCESSES === 1) reloadOnHangup((bridge as RunningBridge).reloadRouting);
}

/** SIGHUP re-reads ROUTING_FILE (docs/routing.md); without a routing file it keeps its default meaning. */
function reloadOnHangup(reload: ((trigger: string) => Promise<unknown>) | undefined): void {
  if (reload) process.on("SIGHUP", () => void reload("SIGHUP"));
}

/** One of a cluster's API processes: the primary set its role and NH connection string in its environment. */
async function runApiProcess(config: Config, id: number): Promise<void> {
  const logger = createLogger({ level: config.LOG_LEVEL, base: { service: config.OTEL_SERVICE_NAME, apiProcess: id } });
  const link = createApiProcessLink();
  const bridge = await startBridge(config, { logger, clusterWorker: link });
  link.serveCollection(bridge.metrics);
  logger.info({ url: bridge.url, pid: process.pid }, "API process listening");
  stopOnSignals(config, bridge);
}

function stopOnSignals(config: Config, bridge: { logger: Logger; shutdown(): Promise<void> }): void {
  const { logger } = bridge;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, "shutting down");
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, "shutdown timed out; exiting");
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    bridge.shutdown().then(
      () => {
        logger.info("shutdown complete");
        logger.flush?.();
        process.exit(0);
      },
      (e: unknown) => {
        logger.error({ err: e }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((e: unknown) => {
  console.error("graph-notifications-bridge failed to start:", e instanceof Error ? e.message : e);
  process.exit(1);
});
