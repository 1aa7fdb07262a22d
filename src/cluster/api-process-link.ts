import type { ClusterWorkerLink } from "../bridge.js";
import type { BridgeMetrics } from "../observability/metrics.js";
import { isClusterMessage, type ClusterMessage } from "./messages.js";
import { ClusterRateLimitStore } from "./rate-limits.js";

/** How long an API process waits for the primary's merged metrics before answering with its own. */
const METRICS_WAIT_MS = 3000;
/** The readiness router limits each check to 2 s; this is only a backstop for a lost answer. */
const READY_WAIT_MS = 5000;

/** The API process's side of the cluster link (run only in a cluster worker, which has an IPC channel). */
export function createApiProcessLink(): ClusterWorkerLink & { serveCollection(own: BridgeMetrics): void } {
  const send = (m: ClusterMessage) => process.send?.(m);
  const waiting = new Map<number, (text: string) => void>();
  const readiness = new Map<number, (error: string | undefined) => void>();
  let own: BridgeMetrics | undefined;
  let nextId = 1;

  process.on("message", (m: unknown) => {
    if (!isClusterMessage(m)) return;
    if (m.gnb === "metrics-response") waiting.get(m.id)?.(m.text);
    else if (m.gnb === "hub-ready-response") readiness.get(m.id)?.(m.error);
    else if (m.gnb === "metrics-collect" && own)
      void own.registry.getMetricsAsJSON().then((metrics) => send({ gnb: "metrics-collected", id: m.id, metrics }));
  });

  return {
    rateLimitStore: new ClusterRateLimitStore(),
    serveCollection(metrics) {
      own = metrics;
    },
    hubReady() {
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          readiness.delete(id);
          reject(new Error("the cluster primary did not answer the Notification Hubs readiness check"));
        }, READY_WAIT_MS);
        readiness.set(id, (error) => {
          clearTimeout(timer);
          readiness.delete(id);
          if (error === undefined) resolve();
          else reject(new Error(error));
        });
        send({ gnb: "hub-ready-request", id });
      });
    },
    clusterMetrics(fallback) {
      const id = nextId++;
      return new Promise<string>((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          resolve(fallback.registry.metrics()); // the primary is gone or stuck: this process's view is better than none
        }, METRICS_WAIT_MS);
        waiting.set(id, (text) => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve(text);
        });
        send({ gnb: "metrics-request", id });
      });
    },
  };
}
