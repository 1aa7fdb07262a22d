import { ConfigError, loadConfig, redactConfig } from "./config.js";
import { startBridge } from "./bridge.js";
import { printWelcome } from "./welcome.js";

/** Entry point: config → bridge → listen; SIGTERM/SIGINT drain within SHUTDOWN_TIMEOUT_MS. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const bridge = await startBridge(config);
  const { logger } = bridge;
  if (config.AUTH_MODE === "none")
    logger.warn({ host: config.HOST }, "AUTH_MODE=none: every caller that can reach this port can notify every user. Use AUTH_MODE=entra in production.");
  logger.info({ url: bridge.url, config: redactConfig(config) }, "bridge listening");
  if (config.embeddedEmulator) printWelcome({ bridgeUrl: bridge.url, emulatorUrl: bridge.emulatorUrl!, hub: config.NOTIFICATION_HUB_NAME, connectionString: bridge.connectionString! });

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
