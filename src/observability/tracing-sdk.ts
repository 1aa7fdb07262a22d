import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-node";
import type { Tracing } from "./tracing.js";

// The OpenTelemetry SDK, apart from the span helpers in tracing.ts: imported only when tracing is
// configured (see loadTracing), so a bridge without OTEL_EXPORTER_OTLP_ENDPOINT never loads it.

export interface StartTracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: base URL of an OTLP/HTTP collector; spans go to `<endpoint>/v1/traces`. */
  endpoint?: string;
  serviceName: string;
  /** Replaces the OTLP exporter (tests pass an InMemorySpanExporter); spans are then exported one by one. */
  exporter?: SpanExporter;
}

/**
 * Starts a tracer provider of our own (not registered as the global provider, and with no
 * auto-instrumentation). Returns undefined when tracing is off: no endpoint and no exporter.
 * The one global it touches is the OpenTelemetry context manager, which context propagation needs.
 */
export function startTracing(o: StartTracingOptions): Tracing | undefined {
  if (!o.exporter && !o.endpoint) return undefined;
  const processor = o.exporter
    ? new SimpleSpanProcessor(o.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: toTracesUrl(o.endpoint as string) }));
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": o.serviceName }),
    spanProcessors: [processor],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  // false when another context manager is already installed: reuse it and leave it alone on shutdown.
  const ownsContextManager = context.setGlobalContextManager(contextManager);
  if (!ownsContextManager) contextManager.disable();
  return {
    tracer: provider.getTracer("graph-notifications-bridge"),
    async shutdown() {
      await provider.shutdown();
      if (ownsContextManager) context.disable();
    },
  };
}

/** Per the OTLP exporter spec, the generic endpoint variable is a base URL; the signal path is added. */
export function toTracesUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, "");
  return base.endsWith("/v1/traces") ? base : `${base}/v1/traces`;
}
