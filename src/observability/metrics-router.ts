import { Router } from "express";
import type { BridgeMetrics } from "./metrics.js";

/** GET /metrics in the Prometheus text format: this process's registry, or `text` (a cluster's merged metrics). */
export function createMetricsRouter(m: BridgeMetrics, text?: () => Promise<string>): Router {
  const r = Router();
  r.get("/metrics", async (_req, res) => {
    res.type(m.registry.contentType).send(text ? await text() : await m.registry.metrics());
  });
  return r;
}
