import type { Tracing } from "./tracing.js";

/** Starts tracing when an OTLP endpoint is configured, loading the SDK only then. */
export async function loadTracing(o: { endpoint?: string; serviceName: string }): Promise<Tracing | undefined> {
  if (!o.endpoint) return undefined;
  const { startTracing } = await import("./tracing-sdk.js");
  return startTracing(o);
}
