import type { AcceptedNotification, Platform } from "../legacy/types.js";
import type { NativeSend } from "../delivery/native-send.js";
import type { AcceptInput, DeliveryPurpose, DeliveryRecord, DeliveryRole, DeliveryState, NotificationRecord, NotificationState, StoredRouting } from "./store.js";

/** A row as either driver returns it: pg hands BIGINT back as a string, SQLite as a number. */
type Row = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === "number" ? v : Number(v));
const opt = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
const optNum = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : num(v));
const optDate = (v: unknown): Date | undefined => (v === null || v === undefined ? undefined : new Date(num(v)));

/** JSON keeps the dates as ISO strings; bring them back as Dates. */
export function parseNotificationBody(json: string): AcceptedNotification {
  const raw = JSON.parse(json) as AcceptedNotification & { createdAt: string; expiresAt: string };
  return { ...raw, createdAt: new Date(raw.createdAt), expiresAt: new Date(raw.expiresAt) };
}

export function toNotificationRecord(r: Row): NotificationRecord {
  return {
    id: String(r.id),
    unsId: String(r.uns_id),
    appNotificationId: opt(r.app_notification_id),
    idempotencyKey: opt(r.idempotency_key),
    contentHash: String(r.content_hash),
    body: parseNotificationBody(String(r.body)),
    response: JSON.parse(String(r.response)) as unknown,
    ackToken: String(r.ack_token),
    createdAt: new Date(num(r.created_at)),
    expiresAt: new Date(num(r.expires_at)),
    replacedBy: opt(r.replaced_by),
    state: String(r.state) as NotificationState,
    ...(r.routing === null || r.routing === undefined ? {} : { routing: JSON.parse(String(r.routing)) as StoredRouting }),
  };
}

/** The record of a notification just inserted from `input`, without reading it back. */
export function insertedNotificationRecord(input: AcceptInput, nowMs: number): NotificationRecord {
  const n = input.notification;
  return {
    id: n.id,
    unsId: n.unsId,
    appNotificationId: n.appNotificationId,
    idempotencyKey: input.idempotencyKey,
    contentHash: input.contentHash,
    body: n,
    response: input.response,
    ackToken: input.ackToken,
    createdAt: new Date(nowMs),
    expiresAt: n.expiresAt,
    replacedBy: undefined,
    state: "live",
    ...(input.routing ? { routing: input.routing } : {}),
  };
}

/** Expects the delivery columns plus `notification_expires_at` from the join. */
export function toDeliveryRecord(r: Row): DeliveryRecord {
  return {
    id: String(r.id),
    notificationId: String(r.notification_id),
    platform: String(r.platform) as Platform,
    purpose: String(r.purpose) as DeliveryPurpose,
    destination: opt(r.destination),
    role: (r.role === "shadow" ? "shadow" : "main") as DeliveryRole,
    send: JSON.parse(String(r.send)) as NativeSend,
    state: String(r.state) as DeliveryState,
    attempts: num(r.attempts),
    nextAttemptAt: new Date(num(r.next_attempt_at)),
    leaseOwner: opt(r.lease_owner),
    leaseExpiresAt: optDate(r.lease_expires_at),
    lastError: opt(r.last_error),
    lastStatus: optNum(r.last_status),
    hubNotificationId: opt(r.hub_notification_id),
    trackingId: opt(r.tracking_id),
    correlationId: opt(r.correlation_id),
    sentAt: optDate(r.sent_at),
    createdAt: new Date(num(r.created_at)),
    updatedAt: new Date(num(r.updated_at)),
    expiresAt: new Date(num(r.notification_expires_at)),
  };
}

/** The columns a notification is inserted with, in notificationValues order. */
export const NOTIFICATION_COLUMNS = [
  "id", "uns_id", "app_notification_id", "idempotency_key", "content_hash", "body",
  "response", "ack_token", "created_at", "expires_at", "state", "routing", "replaced_by",
] as const;

/** A new notification row (an accept's, as planned in accept-plan.ts) in NOTIFICATION_COLUMNS order. */
export function notificationValues(r: { input: AcceptInput; nowMs: number; state: NotificationState; replacedBy?: string }): unknown[] {
  const { input: o, nowMs } = r;
  const n = o.notification;
  return [
    n.id, n.unsId, n.appNotificationId ?? null, o.idempotencyKey ?? null, o.contentHash, JSON.stringify(n),
    JSON.stringify(o.response ?? null), o.ackToken, nowMs, n.expiresAt.getTime(), r.state,
    o.routing ? JSON.stringify(o.routing) : null, r.replacedBy ?? null,
  ];
}

export const DELIVERY_COLUMNS = [
  "id", "notification_id", "platform", "purpose", "send", "state", "attempts", "next_attempt_at", "created_at", "updated_at",
  "destination", "role",
] as const;

export function deliveryValues(
  d: { id: string; platform: Platform; purpose: DeliveryPurpose; send: NativeSend; dueAt: Date; destination?: string; role?: DeliveryRole },
  notificationId: string,
  nowMs: number,
): unknown[] {
  return [d.id, notificationId, d.platform, d.purpose, JSON.stringify(d.send), "pending", 0, d.dueAt.getTime(), nowMs, nowMs, d.destination ?? null, d.role ?? "main"];
}

/** Columns each outcome writes; shared by both backends so they record outcomes identically. */
export const outcomeColumns = {
  sent: (receipt: { hubNotificationId?: string; trackingId?: string; correlationId?: string }, now: Date) => ({
    state: "sent", sent_at: now.getTime(), hub_notification_id: receipt.hubNotificationId ?? null,
    tracking_id: receipt.trackingId ?? null, correlation_id: receipt.correlationId ?? null,
  }),
  retry: (o: { error: string; status?: number; nextAttemptAt: Date }) => ({
    state: "retrying", last_error: o.error, last_status: o.status ?? null, next_attempt_at: o.nextAttemptAt.getTime(),
  }),
  final: (o: { state: "dead-lettered" | "expired" | "cancelled"; error: string; status?: number }) => ({
    state: o.state, last_error: o.error, last_status: o.status ?? null,
  }),
};
