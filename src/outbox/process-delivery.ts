import { DeliveryError, DeliveryNotNeeded } from "../errors.js";
import type { Platform } from "../legacy/types.js";
import type { DeliveryRecord, SendReceipt, Store } from "../store/store.js";
import { nextAttemptDelay } from "./backoff.js";

export type SendDelivery = (d: DeliveryRecord) => Promise<SendReceipt>;

export interface AttemptEvent {
  deliveryId: string;
  notificationId: string;
  platform: Platform;
  outcome: "sent" | "retry" | "dead-lettered" | "expired" | "cancelled";
  status?: number;
  error?: string;
  trackingId?: string;
  latencyMs: number;
  /** 1-based number of this attempt. */
  attempt: number;
  nextAttemptAt?: Date;
  /** The claim was lost before the result was recorded (lease taken over or delivery superseded). */
  claimLost?: boolean;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  random: () => number;
}

export interface ProcessContext {
  store: Store;
  send: SendDelivery;
  now: () => Date;
  owner: string;
  policy: RetryPolicy;
}

/** Any error that is not a DeliveryError (a bug, a dropped socket) is assumed transient. */
function classifyFailure(e: unknown): { retryable: boolean; status?: number; retryAfterMs?: number; error: string } {
  if (e instanceof DeliveryError) return { retryable: e.retryable, status: e.status, retryAfterMs: e.retryAfterMs, error: e.message };
  return { retryable: true, error: e instanceof Error ? e.message : String(e) };
}

/** One claimed delivery: expire it, or send it and record sent / retry / dead letter. */
export async function processDelivery(d: DeliveryRecord, ctx: ProcessContext): Promise<AttemptEvent> {
  const { store, owner, now } = ctx;
  const started = now();
  const event = { deliveryId: d.id, notificationId: d.notificationId, platform: d.platform, attempt: d.attempts };
  const latency = (): number => now().getTime() - started.getTime();

  if (d.expiresAt.getTime() <= started.getTime()) {
    const error = "The notification expired before it could be delivered.";
    const ok = await store.markFinal(d.id, owner, { state: "expired", error }, started);
    return { ...event, outcome: "expired", error, latencyMs: 0, claimLost: !ok || undefined };
  }
  try {
    const receipt = await ctx.send(d);
    const ok = await store.markSent(d.id, owner, receipt, now());
    return { ...event, outcome: "sent", trackingId: receipt.trackingId, latencyMs: latency(), claimLost: !ok || undefined };
  } catch (e) {
    const latencyMs = latency();
    if (e instanceof DeliveryNotNeeded) {
      const ok = await store.markFinal(d.id, owner, { state: "cancelled", error: e.message }, now());
      return { ...event, outcome: "cancelled", error: e.message, latencyMs, claimLost: !ok || undefined };
    }
    const f = classifyFailure(e);
    const at = now();
    if (f.retryable && d.attempts < ctx.policy.maxAttempts) {
      const delay = nextAttemptDelay({
        attempt: d.attempts, retryAfterMs: f.retryAfterMs,
        baseMs: ctx.policy.baseBackoffMs, maxMs: ctx.policy.maxBackoffMs, random: ctx.policy.random,
      });
      const nextAttemptAt = new Date(at.getTime() + delay);
      const ok = await store.markRetry(d.id, owner, { error: f.error, status: f.status, nextAttemptAt }, at);
      return { ...event, outcome: "retry", status: f.status, error: f.error, latencyMs, nextAttemptAt, claimLost: !ok || undefined };
    }
    const error = f.retryable ? `Gave up after ${d.attempts} attempts: ${f.error}` : f.error;
    const ok = await store.markFinal(d.id, owner, { state: "dead-lettered", error, status: f.status }, at);
    return { ...event, outcome: "dead-lettered", status: f.status, error, latencyMs, claimLost: !ok || undefined };
  }
}
