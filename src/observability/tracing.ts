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
import { redactSecrets } from "./redact-secrets.js";
import { formatTraceparent, parseTraceparent } from "./traceparent.js";

/** Span attribute carrying the bridge request id on accept, outbox delivery and NH send spans. */
export const REQUEST_ID_ATTRIBUTE = "bridge.request_id";

export interface Tracing {
  tracer: Tracer;
  /** Flushes pending spans and stops exporting. */
  shutdown(): Promise<void>;
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
