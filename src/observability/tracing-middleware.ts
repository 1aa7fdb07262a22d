import { context, trace, SpanKind, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import type { RequestHandler } from "express";
import { resolveRouteLabel, trackMatchedRoute } from "./route-label.js";
import { REQUEST_ID_ATTRIBUTE } from "./tracing.js";

/**
 * Opens the "http accept" server span for each request and makes it active for the rest of the
 * pipeline, so handlers can call serializeTraceContext() and nest withSpan() calls. The span is
 * renamed to `METHOD /route/pattern` and closed when the response finishes or the client leaves.
 * A pass-through when tracing is off.
 */
export function createTracingMiddleware(tracer: Tracer | undefined): RequestHandler {
  if (!tracer) return (_req, _res, next) => next();
  return (req, res, next) => {
    trackMatchedRoute(req);
    const span = tracer.startSpan(`${req.method} request`, {
      kind: SpanKind.SERVER,
      attributes: { "http.request.method": req.method },
    });
    let ended = false;
    const endSpan = (): void => {
      if (ended) return;
      ended = true;
      const route = resolveRouteLabel(req);
      span.updateName(`${req.method} ${route}`);
      span.setAttribute("http.route", route);
      span.setAttribute("http.response.status_code", res.statusCode);
      const requestId = res.locals.requestId ?? res.getHeader("request-id");
      if (typeof requestId === "string") span.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      if (!res.writableFinished) span.setAttribute("bridge.aborted", true);
      span.end();
    };
    res.once("finish", endSpan);
    res.once("close", endSpan);
    context.with(trace.setSpan(context.active(), span), next);
  };
}
