import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from "prom-client";
import type { BridgeMetrics } from "../observability/metrics.js";
import { isClusterMessage, type ClusterMessage } from "./messages.js";

type MetricsJson = Array<MetricObjectWithValues<MetricValue<string>>>;

/** How long the primary waits for one API process's registry before using the one it sent last. */
const COLLECT_WAIT_MS = 1000;

/** Counters and histograms only ever grow; their sums must not fall when a process leaves. */
const isCumulative = (m: MetricObjectWithValues<MetricValue<string>>): boolean => ["counter", "histogram"].includes(String(m.type));

/**
 * Answers an API process's `metrics-request` with every process's metrics merged by prom-client's
 * AggregatorRegistry (counters and histograms summed, default metrics by their own rules): the
 * primary's (outbox, deliveries) and each API process's (requests).
 *
 * Prometheus reads any fall of a counter as a reset, so the merged counters never fall: a process
 * that does not answer in time is counted with the registry it sent last, and the counters and
 * histograms of a process that exited stay in the sum with their last collected values.
 */
export function answerMetricsRequests(primary: BridgeMetrics, workers: () => Worker[]): () => void {
  const collecting = new Map<number, (m: MetricsJson) => void>();
  const lastSeen = new Map<number, MetricsJson>();
  // Counters and histograms of exited processes; compacted into one entry once there are a few.
  let retired: MetricsJson[] = [];
  let nextId = 1;

  const collectFrom = (w: Worker) =>
    new Promise<MetricsJson | undefined>((resolve) => {
      const id = nextId++;
      const done = (m: MetricsJson | undefined) => {
        clearTimeout(timer);
        collecting.delete(id);
        if (m) lastSeen.set(w.id, m);
        resolve(m ?? lastSeen.get(w.id));
      };
      const timer = setTimeout(() => done(undefined), COLLECT_WAIT_MS);
      collecting.set(id, done);
      // A send to a process that is exiting fails; its 'error' is handled where it was forked.
      w.send({ gnb: "metrics-collect", id } satisfies ClusterMessage, () => undefined);
    });

  const onExit = (w: Worker) => {
    const last = lastSeen.get(w.id);
    lastSeen.delete(w.id);
    if (!last) return;
    retired.push(last.filter(isCumulative)); // at once: a scrape in between must not miss it
    if (retired.length > 8) {
      const compacting = retired;
      void AggregatorRegistry.aggregate(compacting).getMetricsAsJSON().then((json) => {
        retired = [json, ...retired.slice(compacting.length)];
      });
    }
  };

  const onMessage = (from: Worker, m: unknown) => {
    if (!isClusterMessage(m)) return;
    if (m.gnb === "metrics-collected") collecting.get(m.id)?.(m.metrics);
    else if (m.gnb === "metrics-request") {
      void (async () => {
        const parts = await Promise.all(workers().map(collectFrom));
        const all = [await primary.registry.getMetricsAsJSON(), ...retired, ...parts.filter((p): p is MetricsJson => p !== undefined)];
        const text = await AggregatorRegistry.aggregate(all).metrics();
        if (from.isConnected()) from.send({ gnb: "metrics-response", id: m.id, text } satisfies ClusterMessage, () => undefined);
      })();
    }
  };
  cluster.on("message", onMessage);
  cluster.on("exit", onExit);
  return () => {
    cluster.off("message", onMessage);
    cluster.off("exit", onExit);
  };
}
