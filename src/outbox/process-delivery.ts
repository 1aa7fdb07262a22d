import { DeliveryError, DeliveryNotNeeded } from "../errors.js";
import type { Platform } from "../legacy/types.js";
import type { DeliveryRecord, DeliveryRole, OutboxQueue, SendReceipt } from "../store/store.js";
import { nextAttemptDelay } from "./backoff.js";

export type SendDelivery = (d: DeliveryRecord) => Promise<SendReceipt>;

export interface AttemptEvent {
  deliveryId: string;
  notificationId: string;
  platform: Platform;
  outcome: "sent" | "retry" | "dead-lettered" | "expired" | "cancelled";
  status?: number;
  /** The hub call got no response within its timeout. */
  timedOut?: boolean;
  error?: string;
  trackingId?: string;
  latencyMs: number;
  /** 1-based number of this attempt. */
  attempt: number;
  nextAttemptAt?: Date;
  /** The claim was lost before the result was recorded (lease taken over or delivery superseded). */
  claimLost?: boolean;
  /** The routing destination recorded with the delivery (absent: the single destination). */
  destination?: string;
  role?: DeliveryRole;
}

/** What /metrics counts of an attempt: all the outbox thread posts to the main thread for it. */
export type CountedAttempt = Pick<AttemptEvent, "platform" | "outcome" | "latencyMs" | "status" | "timedOut" | "destination" | "role">;

/** The counted fields alone (absent ones left out), for posting: ids, errors and dates are the thread's logs' business. */
export function countedAttempt(e: AttemptEvent): CountedAttempt {
  const c: CountedAttempt = { platform: e.platform, outcome: e.outcome, latencyMs: e.latencyMs };
  if (e.status !== undefined) c.status = e.status;
  if (e.timedOut) c.timedOut = true;
  if (e.destination !== undefined) c.destination = e.destination;
  if (e.role !== undefined) c.role = e.role;
  return c;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  random: () => number;
}

export interface ProcessContext {
  store: OutboxQueue;
  send: SendDelivery;
  now: () => Date;
  owner: string;
  policy: RetryPolicy;
}

/** Any error that is not a DeliveryError (a bug, a dropped socket) is assumed transient. */
function classifyFailure(e: unknown): { retryable: boolean; status?: number; retryAfterMs?: number; timedOut?: boolean; error: string } {
  if (e instanceof DeliveryError) return { retryable: e.retryable, status: e.status, retryAfterMs: e.retryAfterMs, timedOut: e.timedOut, error: e.message };
  return { retryable: true, error: e instanceof Error ? e.message : String(e) };
}

/**
 * A delivery was sent (or its fate decided) but the outcome could not be written. The worker keeps
 * it and writes it again before claiming anything else: sending it again would be a duplicate.
 */
export class OutcomeNotRecorded extends Error {
  constructor(readonly event: AttemptEvent, readonly write: () => Promise<boolean>, cause: unknown) {
    super(`the outcome of delivery ${event.deliveryId} (${event.outcome}) could not be recorded: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "OutcomeNotRecorded";
  }
}

/** Writes an outcome; resolves with the event (claimLost when the claim was gone), or throws OutcomeNotRecorded. */
export async function recordOutcome(event: AttemptEvent, write: () => Promise<boolean>): Promise<AttemptEvent> {
  let ok: boolean;
  try {
    ok = await write();
  } catch (e) {
    throw new OutcomeNotRecorded(event, write, e);
  }
  return ok ? event : { ...event, claimLost: true };
}

/** One claimed delivery: expire it, or send it and record sent / retry / dead letter. */
export async function processDelivery(d: DeliveryRecord, ctx: ProcessContext): Promise<AttemptEvent> {
  const { store, owner, now } = ctx;
  const started = now();
  const event = { deliveryId: d.id, notificationId: d.notificationId, platform: d.platform, attempt: d.attempts, destination: d.destination, role: d.role };
  const latency = (): number => now().getTime() - started.getTime();

  if (d.expiresAt.getTime() <= started.getTime()) {
    const error = "The notification expired before it could be delivered.";
    return recordOutcome({ ...event, outcome: "expired", error, latencyMs: 0 }, () => store.markFinal({ id: d.id, owner, state: "expired", error, now: started }));
  }
  let receipt: SendReceipt;
  try {
    receipt = await ctx.send(d);
  } catch (e) {
    return recordFailure(d, e, { ...event, latencyMs: latency() }, ctx);
  }
  const at = now();
  return recordOutcome(
    { ...event, outcome: "sent", trackingId: receipt.trackingId, latencyMs: latency() },
    () => store.markSent({ id: d.id, owner, receipt, now: at }),
  );
}

type BaseEvent = Pick<AttemptEvent, "deliveryId" | "notificationId" | "platform" | "attempt" | "latencyMs">;

/** A send that failed: cancelled, retried later, or dead-lettered. */
function recordFailure(d: DeliveryRecord, e: unknown, event: BaseEvent, ctx: ProcessContext): Promise<AttemptEvent> {
  const { store, owner } = ctx;
  const at = ctx.now();
  if (e instanceof DeliveryNotNeeded) {
    return recordOutcome({ ...event, outcome: "cancelled", error: e.message }, () => store.markFinal({ id: d.id, owner, state: "cancelled", error: e.message, now: at }));
  }
  const f = classifyFailure(e);
  if (f.retryable && d.attempts < ctx.policy.maxAttempts) {
    const delay = nextAttemptDelay({
      attempt: d.attempts, retryAfterMs: f.retryAfterMs,
      baseMs: ctx.policy.baseBackoffMs, maxMs: ctx.policy.maxBackoffMs, random: ctx.policy.random,
    });
    const nextAttemptAt = new Date(at.getTime() + delay);
    return recordOutcome(
      { ...event, outcome: "retry", status: f.status, timedOut: f.timedOut, error: f.error, nextAttemptAt },
      () => store.markRetry({ id: d.id, owner, error: f.error, status: f.status, nextAttemptAt, now: at }),
    );
  }
  const error = f.retryable ? `Gave up after ${d.attempts} attempts: ${f.error}` : f.error;
  return recordOutcome(
    { ...event, outcome: "dead-lettered", status: f.status, timedOut: f.timedOut, error },
    () => store.markFinal({ id: d.id, owner, state: "dead-lettered", error, status: f.status, now: at }),
  );
}
