import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from "prom-client";
import type { BridgeMetrics } from "../observability/metrics.js";
import { isClusterMessage, type ClusterMessage } from "./messages.js";

type MetricsJson = Array<MetricObjectWithValues<MetricValue<string>>>;

/** How long the primary waits for one API process's registry; a process that misses it is left out of that scrape. */
const COLLECT_WAIT_MS = 1000;

/**
 * Answers an API process's `metrics-request` with every process's metrics merged by prom-client's
 * AggregatorRegistry (counters and histograms summed, default metrics by their own rules): the
 * primary's (outbox, deliveries) and each API process's (requests).
 */
export function answerMetricsRequests(primary: BridgeMetrics, workers: () => Worker[]): () => void {
  const collecting = new Map<number, (m: MetricsJson) => void>();
  let nextId = 1;

  const collectFrom = (w: Worker) =>
    new Promise<MetricsJson | undefined>((resolve) => {
      const id = nextId++;
      const timer = setTimeout(() => (collecting.delete(id), resolve(undefined)), COLLECT_WAIT_MS);
      collecting.set(id, (m) => (clearTimeout(timer), collecting.delete(id), resolve(m)));
      try {
        w.send({ gnb: "metrics-collect", id } satisfies ClusterMessage);
      } catch {
        resolve(undefined); // the process is exiting
      }
    });

  const onMessage = (from: Worker, m: unknown) => {
    if (!isClusterMessage(m)) return;
    if (m.gnb === "metrics-collected") collecting.get(m.id)?.(m.metrics);
    else if (m.gnb === "metrics-request") {
      void (async () => {
        const parts = await Promise.all(workers().map(collectFrom));
        const all = [await primary.registry.getMetricsAsJSON(), ...parts.filter((p): p is MetricsJson => p !== undefined)];
        const text = await AggregatorRegistry.aggregate(all).metrics();
        if (from.isConnected()) from.send({ gnb: "metrics-response", id: m.id, text } satisfies ClusterMessage);
      })();
    }
  };
  cluster.on("message", onMessage);
  return () => cluster.off("message", onMessage);
}
