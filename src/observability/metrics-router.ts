import { Router } from "express";
import type { BridgeMetrics } from "./metrics.js";

/** GET /metrics in the Prometheus text format. */
export function createMetricsRouter(m: BridgeMetrics): Router {
  const r = Router();
  r.get("/metrics", async (_req, res) => {
    res.type(m.registry.contentType).send(await m.registry.metrics());
  });
  return r;
}
