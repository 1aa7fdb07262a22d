import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Tracer } from "@opentelemetry/api";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import { createSendDelivery } from "../delivery/hubs/send-delivery.js";
import type { HubSender } from "../delivery/hubs/hub-sender.js";
import { traceDelivery } from "../observability/traced-delivery.js";
import type { StoreHealth } from "../store/store-health.js";
import type { Store } from "../store/store.js";
import { createRetention } from "./retention.js";
import { createOutboxWorker, type AttemptEvent, type OutboxWorker } from "./worker.js";

/** What the outbox needs from the process (or thread) that runs it. */
export interface OutboxDeps {
  store: Store;
  sender: HubSender;
  now: () => Date;
  tracer?: Tracer;
  logger: Logger;
  onAttempt: (e: AttemptEvent) => void;
  /** The store's health as this loop sees it (watchStore): claims pause while it is down. */
  health?: StoreHealth;
}

/**
 * The outbox worker with its settings from config, and the retention sweep beside it (RETENTION_DAYS):
 * the background work of a process that delivers, the same on the main loop and on the outbox thread.
 */
export function createConfiguredOutboxWorker(
  c: Config,
  d: OutboxDeps,
): OutboxWorker {
  const retention = c.RETENTION_DAYS > 0
    ? createRetention({
      store: d.store, now: d.now, retentionMs: c.RETENTION_DAYS * 24 * 60 * 60 * 1000,
      onPurged: (count, before) => d.logger.info({ count, before: before.toISOString() }, "retention: deleted finished notifications"),
      onError: (e) => d.logger.error({ err: e }, "retention sweep failed; next sweep in a minute"),
    })
    : undefined;
  const worker = createWorker(c, d);
  return {
    runOnce: () => worker.runOnce(),
    get unrecorded() {
      return worker.unrecorded;
    },
    start() {
      worker.start();
      retention?.start();
    },
    async stop() {
      retention?.stop();
      await worker.stop();
    },
  };
}

function createWorker(
  c: Config,
  d: OutboxDeps,
): OutboxWorker {
  return createOutboxWorker({
    store: d.store,
    send: traceDelivery(createSendDelivery({ store: d.store, sender: d.sender }), d.tracer),
    now: d.now,
    owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    batchSize: c.OUTBOX_BATCH_SIZE,
    concurrency: c.OUTBOX_CONCURRENCY,
    leaseMs: c.OUTBOX_LEASE_MS,
    sendTimeoutMs: c.NH_TIMEOUT_MS,
    health: d.health,
    maxAttempts: c.OUTBOX_MAX_ATTEMPTS,
    baseBackoffMs: c.OUTBOX_BASE_BACKOFF_MS,
    maxBackoffMs: c.OUTBOX_MAX_BACKOFF_MS,
    pollIntervalMs: c.OUTBOX_POLL_INTERVAL_MS,
    onAttempt: (e) => {
      logAttempt(d.logger, e);
      d.onAttempt(e);
    },
    onError: (e) => d.logger.error({ err: e }, "outbox worker error"),
  });
}

/** One log line per delivery attempt: error when dead-lettered, warn when retried, info otherwise. */
export function logAttempt(logger: Logger, e: AttemptEvent): void {
  const line = { notificationId: e.notificationId, deliveryId: e.deliveryId, platform: e.platform, outcome: e.outcome, status: e.status, trackingId: e.trackingId, latencyMs: e.latencyMs, attempt: e.attempt, error: e.error, nextAttemptAt: e.nextAttemptAt?.toISOString() };
  if (e.outcome === "dead-lettered") logger.error(line, "delivery attempt");
  else if (e.outcome === "retry") logger.warn(line, "delivery attempt");
  else logger.info(line, "delivery attempt");
}
