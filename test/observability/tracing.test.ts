import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { SpanStatusCode } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { afterEach, describe, expect, it } from "vitest";
import {
  REQUEST_ID_ATTRIBUTE,
  serializeTraceContext,
  withLinkedSpan,
  withSpan,
  type Tracing,
} from "../../src/observability/tracing.js";
import { startTracing, toTracesUrl } from "../../src/observability/tracing-sdk.js";

let tracing: Tracing | undefined;
afterEach(async () => {
  await tracing?.shutdown();
  tracing = undefined;
});

function startInMemory(): { exporter: InMemorySpanExporter; tracing: Tracing } {
  const exporter = new InMemorySpanExporter();
  tracing = startTracing({ serviceName: "gnb-test", exporter });
  if (!tracing) throw new Error("tracing should start with an exporter");
  return { exporter, tracing };
}

describe("startTracing", () => {
  it("is off (undefined) without endpoint and exporter", () => {
    expect(startTracing({ serviceName: "gnb" })).toBeUndefined();
  });

  it("builds the OTLP traces URL from the base endpoint", () => {
    expect(toTracesUrl("http://collector:4318")).toBe("http://collector:4318/v1/traces");
    expect(toTracesUrl("http://collector:4318/")).toBe("http://collector:4318/v1/traces");
    expect(toTracesUrl("http://collector:4318/v1/traces")).toBe("http://collector:4318/v1/traces");
  });

  it("exports spans over OTLP/HTTP to <endpoint>/v1/traces on shutdown", async () => {
    const received: Array<{ method?: string; url?: string; bytes: number }> = [];
    const collector = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ method: req.method, url: req.url, bytes: Buffer.concat(chunks).length });
        res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = collector.address() as AddressInfo;
      tracing = startTracing({ serviceName: "gnb-test", endpoint: `http://127.0.0.1:${port}` });
      await withSpan(tracing?.tracer, "nh send", { "bridge.platform": "fcmv1" }, () => "done");
      await tracing?.shutdown();
      tracing = undefined;
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ method: "POST", url: "/v1/traces" });
      expect(received[0].bytes).toBeGreaterThan(0);
    } finally {
      await new Promise<void>((resolve) => collector.close(() => resolve()));
    }
  });
});

describe("withSpan", () => {
  it("runs fn without a span when tracing is off", async () => {
    const result = await withSpan(undefined, "x", {}, (span) => (span === undefined ? "no span" : "span"));
    expect(result).toBe("no span");
    expect(serializeTraceContext()).toBeUndefined();
  });

  it("records a span with attributes, nests child spans and exposes the active traceparent", async () => {
    const { exporter, tracing: t } = startInMemory();
    let traceparent: string | undefined;
    await withSpan(t.tracer, "http accept", { [REQUEST_ID_ATTRIBUTE]: "req-1" }, async () => {
      traceparent = serializeTraceContext();
      await withSpan(t.tracer, "store insert", { "db.system": "sqlite" }, async () => undefined);
    });
    const [child, parent] = exporter.getFinishedSpans();
    expect(parent.name).toBe("http accept");
    expect(parent.attributes).toEqual({ [REQUEST_ID_ATTRIBUTE]: "req-1" });
    expect(child.name).toBe("store insert");
    expect(child.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(traceparent).toBe(`00-${parent.spanContext().traceId}-${parent.spanContext().spanId}-01`);
  });

  it("marks the span as failed with a redacted message and rethrows", async () => {
    const { exporter, tracing: t } = startInMemory();
    await expect(
      withSpan(t.tracer, "nh send", {}, async () => {
        throw new Error("401 for SharedAccessSignature sr=x&sig=s3cret&se=1");
      }),
    ).rejects.toThrow("s3cret");
    const [span] = exporter.getFinishedSpans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: "401 for SharedAccessSignature sr=x&sig=[REDACTED]&se=1" });
    expect(JSON.stringify(span.events)).not.toContain("s3cret");
  });
});

describe("withLinkedSpan", () => {
  it("starts a new root span linked to the stored traceparent, with children beneath it", async () => {
    const { exporter, tracing: t } = startInMemory();
    const stored = await withSpan(t.tracer, "http accept", { [REQUEST_ID_ATTRIBUTE]: "req-9" }, () =>
      serializeTraceContext(),
    );
    // Later, in the worker, possibly while some unrelated span is active:
    await withSpan(t.tracer, "worker tick", {}, () =>
      withLinkedSpan(t.tracer, "outbox delivery", stored, { [REQUEST_ID_ATTRIBUTE]: "req-9" }, () =>
        withSpan(t.tracer, "nh send", { "bridge.platform": "apple" }, () => undefined),
      ),
    );
    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.find((s) => s.name === name)!;
    const accept = byName("http accept");
    const delivery = byName("outbox delivery");
    const send = byName("nh send");
    expect(delivery.parentSpanContext).toBeUndefined();
    expect(delivery.spanContext().traceId).not.toBe(accept.spanContext().traceId);
    expect(delivery.links).toHaveLength(1);
    expect(delivery.links[0].context).toMatchObject({
      traceId: accept.spanContext().traceId,
      spanId: accept.spanContext().spanId,
    });
    expect(delivery.attributes[REQUEST_ID_ATTRIBUTE]).toBe("req-9");
    expect(send.parentSpanContext?.spanId).toBe(delivery.spanContext().spanId);
  });

  it("starts an unlinked root span when the stored traceparent is missing or malformed", async () => {
    const { exporter, tracing: t } = startInMemory();
    await withLinkedSpan(t.tracer, "outbox delivery", undefined, {}, () => undefined);
    await withLinkedSpan(t.tracer, "outbox delivery", "garbage", {}, () => undefined);
    expect(exporter.getFinishedSpans().map((s) => s.links.length)).toEqual([0, 0]);
  });

  it("runs fn without a span when tracing is off", async () => {
    expect(await withLinkedSpan(undefined, "x", "00-a-b-01", {}, () => 7)).toBe(7);
  });
});


describe("loadTracing", () => {
  it("is off, loading nothing, without an OTLP endpoint", async () => {
    const { loadTracing } = await import("../../src/observability/load-tracing.js");
    expect(await loadTracing({ serviceName: "gnb" })).toBeUndefined();
  });

  it("starts the SDK when an endpoint is configured", async () => {
    const { loadTracing } = await import("../../src/observability/load-tracing.js");
    const t = await loadTracing({ endpoint: "http://127.0.0.1:9", serviceName: "gnb" });
    expect(t?.tracer).toBeDefined();
    await t?.shutdown();
  });
});
