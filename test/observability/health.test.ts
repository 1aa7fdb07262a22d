import express from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHealthRouter, type HealthRouter } from "../../src/observability/health.js";
import { listen } from "./helpers.js";

describe("createHealthRouter", () => {
  let storeError: Error | undefined;
  let hubsHang = false;
  let router: HealthRouter;
  let server: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    router = createHealthRouter({
      timeoutMs: 50,
      checks: [
        {
          name: "store",
          check: async () => {
            if (storeError) throw storeError;
          },
        },
        { name: "notification-hubs", check: () => (hubsHang ? new Promise<void>(() => undefined) : Promise.resolve()) },
      ],
    });
    const app = express();
    app.use(router);
    server = await listen(app);
  });
  afterAll(() => server.close());

  it("/healthz answers 200 ok and is not cached", async () => {
    const res = await request(server.url).get("/healthz").expect(200);
    expect(res.body).toEqual({ status: "ok" });
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("/readyz answers 200 when every check passes", async () => {
    const res = await request(server.url).get("/readyz").expect(200);
    expect(res.body).toEqual({ status: "ready", checks: { store: "ok", "notification-hubs": "ok" } });
  });

  it("/readyz answers 503 with the redacted reason when a check fails", async () => {
    storeError = new Error("connect failed: postgres://bridge:hunter2@db/gnb");
    try {
      const res = await request(server.url).get("/readyz").expect(503);
      expect(res.body).toEqual({
        status: "not-ready",
        checks: { store: "connect failed: postgres://bridge:[REDACTED]@db/gnb", "notification-hubs": "ok" },
      });
      // Liveness does not depend on dependencies.
      await request(server.url).get("/healthz").expect(200);
    } finally {
      storeError = undefined;
    }
  });

  it("/readyz answers 503 when a check exceeds its timeout, without waiting for it", async () => {
    hubsHang = true;
    try {
      const started = performance.now();
      const res = await request(server.url).get("/readyz").expect(503);
      expect(res.body.checks).toEqual({ store: "ok", "notification-hubs": "timed out after 50 ms" });
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      hubsHang = false;
    }
  });

  it("/readyz answers 503 'shutting down' after markShuttingDown while /healthz stays 200", async () => {
    await request(server.url).get("/readyz").expect(200);
    router.markShuttingDown();
    const res = await request(server.url).get("/readyz").expect(503);
    expect(res.body).toMatchObject({ status: "not-ready", reason: "shutting down" });
    await request(server.url).get("/healthz").expect(200);
  });
});
