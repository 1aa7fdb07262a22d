import {
  context,
  isSpanContextValid,
  trace,
  SpanStatusCode,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanOptions,
  type Tracer,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-node";
import { redactSecrets } from "./redact-secrets.js";
import { formatTraceparent, parseTraceparent } from "./traceparent.js";

/** Span attribute carrying the bridge request id on accept, outbox delivery and NH send spans. */
export const REQUEST_ID_ATTRIBUTE = "bridge.request_id";

export interface StartTracingOptions {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: base URL of an OTLP/HTTP collector; spans go to `<endpoint>/v1/traces`. */
  endpoint?: string;
  serviceName: string;
  /** Replaces the OTLP exporter (tests pass an InMemorySpanExporter); spans are then exported one by one. */
  exporter?: SpanExporter;
}

export interface Tracing {
  tracer: Tracer;
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>;
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

/**
 * Runs fn inside an active child span of the current context; the span records exceptions and
 * ends when fn settles. With no tracer it just runs fn.
 */
export async function withSpan<T>(
  tracer: Tracer | undefined,
  name: string,
  attributes: Attributes,
  fn: (span: Span | undefined) => Promise<T> | T,
): Promise<T> {
  if (!tracer) return fn(undefined);
  return runInSpan(tracer, name, { attributes }, fn);
}

/**
 * Runs fn inside a new root span linked to the span that stored `traceparent` (the accept span,
 * carried through the outbox). Work resumed later by the worker thus stays traceable without
 * stretching the original trace over minutes of retries.
 */
export async function withLinkedSpan<T>(
  tracer: Tracer | undefined,
  name: string,
  traceparent: string | undefined,
  attributes: Attributes,
  fn: (span: Span | undefined) => Promise<T> | T,
): Promise<T> {
  if (!tracer) return fn(undefined);
  const linked = parseTraceparent(traceparent);
  const links: Link[] = linked ? [{ context: linked }] : [];
  return runInSpan(tracer, name, { attributes, links, root: true }, fn);
}

/** W3C traceparent of the active span (to store with an outbox entry), or undefined when none. */
export function serializeTraceContext(ctx: Context = context.active()): string | undefined {
  const span = trace.getSpan(ctx);
  const sc = span?.spanContext();
  return sc && isSpanContextValid(sc) ? formatTraceparent(sc) : undefined;
}

async function runInSpan<T>(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  fn: (span: Span) => Promise<T> | T,
): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      recordFailure(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Marks a span as failed; messages are redacted because exporters ship them off-host. */
export function recordFailure(span: Span, err: unknown): void {
  const message = redactSecrets(err instanceof Error ? err.message : String(err));
  span.recordException({ name: err instanceof Error ? err.name : "Error", message });
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}
