import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import express from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTracingMiddleware } from "../../src/observability/tracing-middleware.js";
import { REQUEST_ID_ATTRIBUTE, serializeTraceContext, type Tracing } from "../../src/observability/tracing.js";
import { startTracing } from "../../src/observability/tracing-sdk.js";
import { listen } from "./helpers.js";

describe("createTracingMiddleware", () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let server: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    tracing = startTracing({ serviceName: "gnb-test", exporter })!;
    const app = express();
    app.use(createTracingMiddleware(tracing.tracer));
    app.use((_req, res, next) => {
      res.locals.requestId = "req-77";
      next();
    });
    const beta = express.Router();
    beta.post("/me/notifications/:id", async (_req, res) => {
      await new Promise((resolve) => setImmediate(resolve));
      // What the accept handler stores with the outbox entry.
      res.status(201).json({ traceparent: serializeTraceContext() });
    });
    beta.get("/fails", () => {
      throw new Error("boom");
    });
    app.use("/beta", beta);
    server = await listen(app);
  });
  afterAll(async () => {
    await server.close();
    await tracing.shutdown();
  });

  it("records one server span per request, active across awaits in the handler", async () => {
    const res = await request(server.url).post("/beta/me/notifications/42").expect(201);
    const span = exporter.getFinishedSpans().find((s) => s.name === "POST /beta/me/notifications/:id")!;
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.attributes).toMatchObject({
      "http.request.method": "POST",
      "http.route": "/beta/me/notifications/:id",
      "http.response.status_code": 201,
      [REQUEST_ID_ATTRIBUTE]: "req-77",
    });
    expect(res.body.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
  });

  it("marks 5xx responses as errors", async () => {
    await request(server.url).get("/beta/fails").expect(500);
    const span = exporter.getFinishedSpans().find((s) => s.name === "GET /beta/fails")!;
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("passes requests straight through when tracing is off", async () => {
    const app = express();
    app.use(createTracingMiddleware(undefined));
    app.get("/x", (_req, res) => {
      res.json({ traceparent: serializeTraceContext() ?? null });
    });
    const s = await listen(app);
    try {
      const res = await request(s.url).get("/x").expect(200);
      expect(res.body).toEqual({ traceparent: null });
    } finally {
      await s.close();
    }
  });
});
