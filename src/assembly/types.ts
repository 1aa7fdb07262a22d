import type { Store as RateLimitStore } from "express-rate-limit";
import type { Logger } from "pino";
import type { BridgeMetrics } from "../observability/metrics.js";
import type { Tracing } from "../observability/tracing.js";
import type { OutboxThread } from "../outbox/thread/outbox-thread-host.js";
import type { OutboxWorker } from "../outbox/worker.js";
import type { ParsedRouting } from "../routing/routing-file.js";
import type { ReloadResult } from "../routing/routing-state.js";
import type { Store } from "../store/store.js";

export interface BridgeOverrides {
  logger?: Logger;
  /** Tests pass tracing with an in-memory exporter; otherwise OTEL_EXPORTER_OTLP_ENDPOINT decides. */
  tracing?: Tracing;
  now?: () => Date;
  fetch?: typeof fetch;
  /** false in a cluster primary: it runs the outbox, the store and the emulator; its API processes serve HTTP. */
  serveHttp?: boolean;
  /** Set in a cluster's API process (API_PROCESSES > 1). */
  clusterWorker?: ClusterWorkerLink;
  /** Re-reads ROUTING_FILE on reload, with the environment (main.ts passes config.ts's loadRoutingFile over process.env). */
  loadRouting?: () => ParsedRouting;
}

/** What an API process of a cluster gets from its primary. */
export interface ClusterWorkerLink {
  /** The whole cluster's /metrics text (the primary gathers every process's registry). */
  clusterMetrics: (own: BridgeMetrics) => Promise<string>;
  /** Rate-limit counts kept in the primary, shared by every API process. */
  rateLimitStore: RateLimitStore;
  /** Readiness of Notification Hubs as the primary's NH client sees it (API processes load no NH SDK). */
  hubReady: () => Promise<void>;
}

export interface RunningBridge {
  url: string;
  emulatorUrl?: string;
  connectionString?: string;
  store?: Store;
  worker?: OutboxWorker;
  /** The outbox worker's thread, when it runs on one (BRIDGE_ROLE=all, OUTBOX_THREAD). */
  outboxThread?: OutboxThread;
  logger: Logger;
  metrics: BridgeMetrics;
  /** The readiness check of the delivery strategy (Notification Hubs or Graph). */
  checkStrategyReady: () => Promise<void>;
  /** Graceful: stop accepting, finish requests, drain the worker, close the store. */
  shutdown(): Promise<void>;
  /** With ROUTING_FILE: re-reads and applies it (SIGHUP); the previous routing stays when it is refused. */
  reloadRouting?: (trigger: string) => Promise<ReloadResult>;
}
