import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { RequestHandler } from "express";
import { createOutboxMetrics, type OutboxMetrics, type OutboxStats } from "./outbox-gauges.js";
import { resolveRouteLabel, trackMatchedRoute } from "./route-label.js";

export type { OutboxStats } from "./outbox-gauges.js";

export interface BridgeMetrics extends OutboxMetrics {
  registry: Registry;
  requests: Counter<"route" | "method" | "status" | "strategy">;
  requestDuration: Histogram<"route" | "strategy">;
  deliveries: Counter<"platform" | "outcome">;
  retries: Counter<"platform">;
  deadLetters: Counter<"platform">;
  hubCallDuration: Histogram<"platform" | "outcome">;
  /** Answers of Notification Hubs by class (2xx, 4xx, 5xx, timeout, network) and exact status. */
  hubResponses: Counter<"platform" | "class" | "status">;
  /** API processes running under a cluster primary (API_PROCESSES > 1); 0 otherwise. */
  apiProcesses: Gauge;
  /** API processes that exited unexpectedly and were replaced. */
  apiProcessRestarts: Counter;
}

export interface CreateMetricsOptions {
  /** Adds prom-client's process and Node.js metrics (with the same prefix). Default true. */
  collectDefault?: boolean;
  prefix?: string;
  outboxStats?: () => Promise<OutboxStats>;
  /** Upper bound for outboxStats during a scrape, so a stuck store cannot hang /metrics. Default 2000. */
  outboxStatsTimeoutMs?: number;
}

export type DeliveryOutcome = "sent" | "retry" | "dead-lettered" | "expired" | "cancelled";

const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const HUB_CALL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

/** A fresh registry with every bridge metric; nothing is registered globally. */
export function createMetrics(o: CreateMetricsOptions = {}): BridgeMetrics {
  const prefix = o.prefix ?? "gnb_";
  const registry = new Registry();
  const registers = [registry];
  if (o.collectDefault ?? true) collectDefaultMetrics({ register: registry, prefix });

  return {
    registry,
    requests: new Counter({
      name: `${prefix}http_requests_total`,
      help: "HTTP requests handled, by route pattern, method, status and delivery strategy",
      labelNames: ["route", "method", "status", "strategy"] as const,
      registers,
    }),
    requestDuration: new Histogram({
      name: `${prefix}http_request_duration_seconds`,
      help: "Time from request arrival to response end",
      labelNames: ["route", "strategy"] as const,
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    deliveries: new Counter({
      name: `${prefix}deliveries_total`,
      help: "Delivery attempts by platform and outcome (sent, retry, dead-lettered, expired, cancelled)",
      labelNames: ["platform", "outcome"] as const,
      registers,
    }),
    retries: new Counter({
      name: `${prefix}delivery_retries_total`,
      help: "Delivery attempts that failed with a retryable error and were rescheduled",
      labelNames: ["platform"] as const,
      registers,
    }),
    deadLetters: new Counter({
      name: `${prefix}dead_letters_total`,
      help: "Deliveries moved to the dead-letter state (final error or attempts exhausted)",
      labelNames: ["platform"] as const,
      registers,
    }),
    hubCallDuration: new Histogram({
      name: `${prefix}hub_call_duration_seconds`,
      help: "Latency of the send call to Notification Hubs, by outcome",
      labelNames: ["platform", "outcome"] as const,
      buckets: HUB_CALL_BUCKETS,
      registers,
    }),
    hubResponses: new Counter({
      name: `${prefix}hub_responses_total`,
      help: "Answers of Notification Hubs by class (2xx, 4xx, 5xx; timeout = none within NH_TIMEOUT_MS; network = refused or reset) and exact HTTP status (the class itself when the code is not known)",
      labelNames: ["platform", "class", "status"] as const,
      registers,
    }),
    apiProcesses: new Gauge({
      name: `${prefix}api_processes`,
      help: "API processes running under this bridge's cluster primary (API_PROCESSES > 1); 0 for a single process",
      registers,
    }),
    apiProcessRestarts: new Counter({
      name: `${prefix}api_process_restarts_total`,
      help: "API processes that exited unexpectedly and were replaced by the cluster primary",
      registers,
    }),
    ...createOutboxMetrics({ registry, prefix, outboxStats: o.outboxStats, timeoutMs: o.outboxStatsTimeoutMs ?? 2000 }),
  };
}

/** Counts and times every request by route pattern, method, status and strategy. */
export function createMetricsMiddleware(m: BridgeMetrics, strategy: string): RequestHandler {
  return (req, res, next) => {
    const startedAt = performance.now();
    trackMatchedRoute(req);
    res.once("finish", () => {
      const route = resolveRouteLabel(req);
      m.requests.inc({ route, method: req.method, status: String(res.statusCode), strategy });
      m.requestDuration.observe({ route, strategy }, (performance.now() - startedAt) / 1000);
    });
    next();
  };
}

export interface DeliveryAttempt {
  platform: string;
  outcome: DeliveryOutcome;
  latencyMs: number;
  /** HTTP status from Notification Hubs, when a failed call got a response. */
  status?: number;
  /** A failed call got no response within its timeout (otherwise no status means a network failure). */
  timedOut?: boolean;
  /** Whether a call to Notification Hubs was made; default: every outcome except 'expired' and 'cancelled'. */
  hubCalled?: boolean;
}

/** Records one delivery attempt; hub latency and status only when a hub call was made. */
export function recordDeliveryAttempt(m: BridgeMetrics, e: DeliveryAttempt): void {
  m.deliveries.inc({ platform: e.platform, outcome: e.outcome });
  if (e.outcome === "retry") m.retries.inc({ platform: e.platform });
  if (e.outcome === "dead-lettered") m.deadLetters.inc({ platform: e.platform });
  if (!(e.hubCalled ?? (e.outcome !== "expired" && e.outcome !== "cancelled"))) return;
  m.hubCallDuration.observe({ platform: e.platform, outcome: e.outcome }, e.latencyMs / 1000);
  m.hubResponses.inc({ platform: e.platform, ...hubResponseLabels(e) });
}

/**
 * A sent delivery had a 2xx answer (the SDK does not pass the exact code on). A failure has the
 * hub's status, or none: then it timed out, or the connection was refused or reset.
 */
export function hubResponseLabels(e: Pick<DeliveryAttempt, "outcome" | "status" | "timedOut">): { class: string; status: string } {
  if (e.status !== undefined) return { class: `${Math.floor(e.status / 100)}xx`, status: String(e.status) };
  const cls = e.outcome === "sent" ? "2xx" : e.timedOut ? "timeout" : "network";
  return { class: cls, status: cls };
}
