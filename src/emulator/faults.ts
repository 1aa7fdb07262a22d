import { z } from "zod";
import { NhError, nhErrors } from "./nh-errors.js";

/**
 * Faults injected per hub, so callers can test their retry and back-off paths: throttling
 * (429 + Retry-After), server errors, and added latency. `count` limits how many requests
 * fail; without it the fault stays until cleared.
 */
export const faultSpecSchema = z.strictObject({
  throttle: z.strictObject({ retryAfterSeconds: z.number().int().min(0).max(3600), count: z.number().int().positive().optional() }).optional(),
  serverError: z.strictObject({ status: z.number().int().min(500).max(599), count: z.number().int().positive().optional() }).optional(),
  latencyMs: z.number().int().min(0).max(60_000).optional(),
});

export type FaultSpec = z.infer<typeof faultSpecSchema>;

/** What to do with one request: wait, then maybe fail. */
export interface FaultDecision {
  delayMs: number;
  error?: NhError;
}

export class FaultRegistry {
  private readonly specs = new Map<string, FaultSpec>();

  constructor(initial: Record<string, FaultSpec> = {}) {
    for (const [hub, spec] of Object.entries(initial)) this.set(hub, spec);
  }

  set(hub: string, spec: FaultSpec): void {
    this.specs.set(hub, faultSpecSchema.parse(spec));
  }

  clear(hub: string): void {
    this.specs.delete(hub);
  }

  get(hub: string): FaultSpec | undefined {
    return this.specs.get(hub);
  }

  list(): Record<string, FaultSpec> {
    return Object.fromEntries(this.specs);
  }

  /** Decides the fault for the next request on the hub, using up one of a counted fault. */
  take(hub: string): FaultDecision {
    const spec = this.specs.get(hub);
    if (!spec) return { delayMs: 0 };
    const delayMs = spec.latencyMs ?? 0;
    if (spec.throttle) {
      const { retryAfterSeconds } = spec.throttle;
      this.useUp(hub, spec, "throttle");
      return { delayMs, error: nhErrors.throttled(retryAfterSeconds) };
    }
    if (spec.serverError) {
      const { status } = spec.serverError;
      this.useUp(hub, spec, "serverError");
      return { delayMs, error: nhErrors.injectedServerError(status) };
    }
    return { delayMs };
  }

  private useUp(hub: string, spec: FaultSpec, kind: "throttle" | "serverError"): void {
    const fault = spec[kind];
    if (fault?.count === undefined) return;
    const next: FaultSpec = { ...spec, [kind]: fault.count > 1 ? { ...fault, count: fault.count - 1 } : undefined };
    if (next.throttle || next.serverError || next.latencyMs !== undefined) this.specs.set(hub, next);
    else this.specs.delete(hub);
  }
}
