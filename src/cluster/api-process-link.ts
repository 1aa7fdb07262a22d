import type { ClusterWorkerLink } from "../bridge.js";
import type { BridgeMetrics } from "../observability/metrics.js";
import { askPrimary } from "./ask-primary.js";
import { isClusterMessage, type ClusterMessage } from "./messages.js";
import { ClusterRateLimitStore } from "./rate-limits.js";

/** How long an API process waits for the primary's merged metrics before answering with its own. */
const METRICS_WAIT_MS = 3000;
/** The readiness router limits each check to 2 s; this is only a backstop for a lost answer. */
const READY_WAIT_MS = 5000;

/** The API process's side of the cluster link (run only in a cluster worker, which has an IPC channel). */
export function createApiProcessLink(): ClusterWorkerLink & { serveCollection(own: BridgeMetrics): void } {
  let own: BridgeMetrics | undefined;

  // The primary gathering every process's registry for a scrape.
  process.on("message", (m: unknown) => {
    if (isClusterMessage(m) && m.gnb === "metrics-collect" && own)
      void own.registry.getMetricsAsJSON().then((metrics) => process.send?.({ gnb: "metrics-collected", id: m.id, metrics } satisfies ClusterMessage));
  });

  return {
    rateLimitStore: new ClusterRateLimitStore(),
    serveCollection(metrics) {
      own = metrics;
    },
    async hubReady() {
      const reply = await askPrimary({ gnb: "hub-ready-request" }, READY_WAIT_MS);
      if (reply?.gnb !== "hub-ready-response") throw new Error("the cluster primary did not answer the Notification Hubs readiness check");
      if (reply.error !== undefined) throw new Error(reply.error);
    },
    async clusterMetrics(fallback) {
      const reply = await askPrimary({ gnb: "metrics-request" }, METRICS_WAIT_MS);
      // The primary is gone or stuck: this process's view is better than none.
      return reply?.gnb === "metrics-response" ? reply.text : fallback.registry.metrics();
    },
  };
}
