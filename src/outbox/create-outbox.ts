import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Tracer } from "@opentelemetry/api";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { HubSender } from "../delivery/hubs/hub-sender.js";
import { createSendDelivery } from "../delivery/hubs/send-delivery.js";
import { traceDelivery } from "../observability/traced-delivery.js";
import type { StoreHealth } from "../store/store-health.js";
import type { OutboxQueue } from "../store/store.js";
import { createRetention, type Retention } from "./retention.js";
import { createOutboxWorker, type AttemptEvent, type OutboxWorker } from "./worker.js";

/** The outbox's tuning (OUTBOX_* and RETENTION_DAYS); anything left out takes the worker's default. */
export interface OutboxSettings {
  batchSize: number;
  concurrency: number;
  leaseMs: number;
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  pollIntervalMs: number;
  /** The longest one send may take (NH_TIMEOUT_MS): no send starts unless it ends inside its lease. */
  sendTimeoutMs: number;
  /** Finished notifications older than this are deleted; 0 keeps them. */
  retentionDays: number;
}

export function outboxSettingsOf(c: Config): OutboxSettings {
  return {
    batchSize: c.OUTBOX_BATCH_SIZE, concurrency: c.OUTBOX_CONCURRENCY, leaseMs: c.OUTBOX_LEASE_MS,
    maxAttempts: c.OUTBOX_MAX_ATTEMPTS, baseBackoffMs: c.OUTBOX_BASE_BACKOFF_MS, maxBackoffMs: c.OUTBOX_MAX_BACKOFF_MS,
    pollIntervalMs: c.OUTBOX_POLL_INTERVAL_MS, sendTimeoutMs: c.NH_TIMEOUT_MS, retentionDays: c.RETENTION_DAYS,
  };
}

export interface OutboxOptions {
  store: OutboxQueue;
  /** Where deliveries go (a destination's sender). */
  sender: HubSender;
  now: () => Date;
  settings?: Partial<OutboxSettings>;
  /** The store's health as this loop sees it (watchStore): claims pause while it is down. */
  health?: StoreHealth;
  logger?: Logger;
  tracer?: Tracer;
  onAttempt?: (e: AttemptEvent) => void;
  /** Leases are held in this name; default hostname:pid:random. */
  owner?: string;
  /** Backoff jitter, in [0, 1); tests fix it. */
  random?: () => number;
}

/**
 * The outbox as every process and thread that delivers runs it (and as the tests run it): the
 * worker sending through NH with its spans and logs, and the retention sweep beside it.
 */
export function createOutbox(o: OutboxOptions): OutboxWorker {
  const { retentionDays, ...tuning } = o.settings ?? {};
  const worker = createOutboxWorker({
    ...tuning,
    store: o.store,
    send: traceDelivery(createSendDelivery({ store: o.store, sender: o.sender }), o.tracer),
    now: o.now,
    owner: o.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    random: o.random,
    health: o.health,
    onAttempt: (e) => {
      if (o.logger) logAttempt(o.logger, e);
      o.onAttempt?.(e);
    },
    onError: (e) => o.logger?.error({ err: e }, "outbox worker error"),
  });
  const retention = retentionDays ? createConfiguredRetention(o, retentionDays) : undefined;
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

function createConfiguredRetention(o: OutboxOptions, days: number): Retention {
  return createRetention({
    store: o.store, now: o.now, retentionMs: days * 24 * 60 * 60 * 1000,
    onPurged: (count, before) => o.logger?.info({ count, before: before.toISOString() }, "retention: deleted finished notifications"),
    onError: (e) => o.logger?.error({ err: e }, "retention sweep failed; next sweep in a minute"),
  });
}

/** One log line per delivery attempt: error when dead-lettered, warn when retried, info otherwise. */
export function logAttempt(logger: Logger, e: AttemptEvent): void {
  const level = e.outcome === "dead-lettered" ? "error" : e.outcome === "retry" ? "warn" : "info";
  if (!logger.isLevelEnabled(level)) return; // at LOG_LEVEL=warn a sent delivery builds no line
  const line = { notificationId: e.notificationId, deliveryId: e.deliveryId, platform: e.platform, outcome: e.outcome, status: e.status, trackingId: e.trackingId, latencyMs: e.latencyMs, attempt: e.attempt, error: e.error, nextAttemptAt: e.nextAttemptAt?.toISOString(), destination: e.destination, role: e.role === "shadow" ? e.role : undefined };
  logger[level](line, "delivery attempt");
}
