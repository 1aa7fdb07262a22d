import express from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createMetrics,
  createMetricsMiddleware,
  recordDeliveryAttempt,
  type OutboxStats,
} from "../../src/observability/metrics.js";
import { createMetricsRouter } from "../../src/observability/metrics-router.js";
import { listen } from "./helpers.js";

describe("createMetricsMiddleware", () => {
  const m = createMetrics({ collectDefault: false });
  let server: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    const app = express();
    app.use(createMetricsMiddleware(m, "hubs"));
    const beta = express.Router();
    beta.post("/me/notifications", (_req, res) => {
      res.status(201).json({});
    });
    beta.post("/broken/:id", () => {
      throw new Error("x");
    });
    app.use("/beta", beta);
    app.use(createMetricsRouter(m));
    server = await listen(app);
  });
  afterAll(() => server.close());

  it("counts requests by route pattern, method, status and strategy and times them", async () => {
    await request(server.url).post("/beta/me/notifications").expect(201);
    await request(server.url).post("/beta/me/notifications").expect(201);
    await request(server.url).post("/beta/broken/123").expect(500);
    await request(server.url).get("/unknown/456").expect(404);
    const res = await request(server.url).get("/metrics").expect(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain(
      'gnb_http_requests_total{route="/beta/me/notifications",method="POST",status="201",strategy="hubs"} 2',
    );
    expect(res.text).toContain('gnb_http_requests_total{route="/beta/broken/:id",method="POST",status="500",strategy="hubs"} 1');
    expect(res.text).toContain('gnb_http_requests_total{route="unmatched",method="GET",status="404",strategy="hubs"} 1');
    expect(res.text).toContain('gnb_http_request_duration_seconds_count{route="/beta/me/notifications",strategy="hubs"} 2');
    expect(res.text).not.toContain("/unknown");
  });
});

describe("recordDeliveryAttempt", () => {
  it("counts outcomes by platform, retries, dead letters, hub latency and hub statuses", async () => {
    const m = createMetrics({ collectDefault: false });
    recordDeliveryAttempt(m, { platform: "fcmv1", outcome: "sent", latencyMs: 40, status: 201 });
    recordDeliveryAttempt(m, { platform: "fcmv1", outcome: "retry", latencyMs: 30, status: 429 });
    recordDeliveryAttempt(m, { platform: "apple", outcome: "dead-lettered", latencyMs: 20, status: 400 });
    recordDeliveryAttempt(m, { platform: "apple", outcome: "retry", latencyMs: 5000, timedOut: true });
    recordDeliveryAttempt(m, { platform: "apple", outcome: "retry", latencyMs: 3 });
    recordDeliveryAttempt(m, { platform: "fcmv1", outcome: "sent", latencyMs: 40 });
    recordDeliveryAttempt(m, { platform: "wns", outcome: "expired", latencyMs: 0 });
    const text = await m.registry.metrics();
    expect(text).toContain('gnb_deliveries_total{platform="fcmv1",outcome="sent"} 2');
    expect(text).toContain('gnb_deliveries_total{platform="fcmv1",outcome="retry"} 1');
    expect(text).toContain('gnb_deliveries_total{platform="wns",outcome="expired"} 1');
    expect(text).toContain('gnb_delivery_retries_total{platform="fcmv1"} 1');
    expect(text).toContain('gnb_delivery_retries_total{platform="apple"} 2');
    expect(text).toContain('gnb_dead_letters_total{platform="apple"} 1');
    expect(text).toContain('gnb_hub_responses_total{platform="fcmv1",class="2xx",status="201"} 1');
    expect(text).toContain('gnb_hub_responses_total{platform="fcmv1",class="2xx",status="2xx"} 1'); // a success, code not passed on
    expect(text).toContain('gnb_hub_responses_total{platform="fcmv1",class="4xx",status="429"} 1');
    expect(text).toContain('gnb_hub_responses_total{platform="apple",class="4xx",status="400"} 1');
    expect(text).toContain('gnb_hub_responses_total{platform="apple",class="timeout",status="timeout"} 1');
    expect(text).toContain('gnb_hub_responses_total{platform="apple",class="network",status="network"} 1');
    expect(text).not.toContain('status="none"');
    expect(text).toContain('gnb_hub_call_duration_seconds_bucket{le="0.05",platform="fcmv1",outcome="sent"} 2');
    expect(text).toContain('gnb_hub_call_duration_seconds_bucket{le="2",platform="apple",outcome="retry"} 1');
    expect(text).toContain('gnb_hub_call_duration_seconds_bucket{le="5",platform="apple",outcome="retry"} 2');
    // An expired delivery never reached the hub: no latency sample, no response.
    expect(text).not.toMatch(/gnb_hub_(call_duration_seconds_count|responses_total)\{platform="wns"/);
  });
});

describe("outbox gauges", () => {
  it("reflect outboxStats at scrape time with one store read per scrape", async () => {
    let stats: OutboxStats = { due: 3, pending: 7, oldestDueAgeMs: 61_500, deadLettered: 2 };
    let reads = 0;
    const m = createMetrics({
      collectDefault: false,
      outboxStats: async () => {
        reads += 1;
        return stats;
      },
    });
    let text = await m.registry.metrics();
    expect(text).toContain('gnb_outbox_depth{state="due"} 3');
    expect(text).toContain('gnb_outbox_depth{state="pending"} 7');
    expect(text).toContain('gnb_outbox_depth{state="dead-lettered"} 2');
    expect(text).toContain("gnb_outbox_oldest_due_age_seconds 61.5");
    expect(reads).toBe(1);

    stats = { due: 0, pending: 0, oldestDueAgeMs: 0, deadLettered: 2 };
    text = await m.registry.metrics();
    expect(text).toContain('gnb_outbox_depth{state="due"} 0');
    expect(text).toContain("gnb_outbox_oldest_due_age_seconds 0");
    expect(reads).toBe(2);
  });

  it("a throwing outboxStats drops the depth series, makes the age NaN, counts the error and keeps the scrape working", async () => {
    const m = createMetrics({
      collectDefault: false,
      outboxStats: async () => {
        throw new Error("database is locked");
      },
    });
    recordDeliveryAttempt(m, { platform: "wns", outcome: "sent", latencyMs: 10, status: 200 });
    const text = await m.registry.metrics();
    expect(text).toContain('gnb_deliveries_total{platform="wns",outcome="sent"} 1');
    expect(text).toContain("gnb_outbox_stats_errors_total 1");
    expect(text).not.toMatch(/^gnb_outbox_depth\{/m);
    // prom-client writes "Nan"; Prometheus parses NaN case-insensitively (Go strconv.ParseFloat).
    expect(text).toMatch(/^gnb_outbox_oldest_due_age_seconds nan$/im);
  });

  it("a hanging outboxStats is cut off by the timeout", async () => {
    const m = createMetrics({
      collectDefault: false,
      outboxStatsTimeoutMs: 20,
      outboxStats: () => new Promise<OutboxStats>(() => undefined),
    });
    const text = await m.registry.metrics();
    expect(text).toContain("gnb_outbox_stats_errors_total 1");
  });
});

describe("createMetrics", () => {
  it("gives each call its own registry, with process metrics under the prefix when asked", async () => {
    const a = createMetrics({ prefix: "x_" });
    const b = createMetrics({ collectDefault: false });
    expect(a.registry).not.toBe(b.registry);
    expect(await a.registry.metrics()).toContain("x_process_cpu_user_seconds_total");
    expect(await b.registry.metrics()).not.toContain("process_cpu_user_seconds_total");
  });
});
