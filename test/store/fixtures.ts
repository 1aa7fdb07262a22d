import { randomUUID } from "node:crypto";
import type { NativeSend } from "../../src/delivery/native-send.js";
import type { AcceptedNotification } from "../../src/legacy/types.js";
import type { AcceptInput, DeliveryInput } from "../../src/store/store.js";

export const T0 = new Date("2026-11-02T10:00:00.000Z");
export const at = (ms: number): Date => new Date(T0.getTime() + ms);
export const HOUR = 60 * 60 * 1000;

export function anAcceptedNotification(o: Partial<AcceptedNotification> = {}): AcceptedNotification {
  return {
    id: randomUUID(),
    unsId: "uns-alice",
    targetHostName: "contoso.example",
    platforms: ["android"],
    visual: { title: "Hello", body: "World" },
    priority: "High",
    expiresAt: at(24 * HOUR),
    createdAt: T0,
    ...o,
  };
}

export function aNativeSend(o: Partial<NativeSend> = {}): NativeSend {
  return {
    platform: "android",
    format: "fcmv1",
    purpose: "primary",
    tagExpression: "uns:uns-alice",
    contentType: "application/json;charset=utf-8",
    headers: {},
    body: JSON.stringify({ message: { notification: { title: "Hello" } } }),
    ...o,
  };
}

export function aDeliveryInput(o: Partial<DeliveryInput> = {}): DeliveryInput {
  const send = o.send ?? aNativeSend();
  return { id: randomUUID(), platform: send.platform, purpose: send.purpose, send, dueAt: T0, ...o };
}

/** An accept input with one delivery; `contentHash` defaults to a fixed value so identical builds are duplicates. */
export function anAcceptInput(
  o: { notification?: Partial<AcceptedNotification>; deliveries?: DeliveryInput[] } & Partial<Omit<AcceptInput, "notification" | "deliveries">> = {},
): AcceptInput {
  const notification = anAcceptedNotification(o.notification);
  return {
    ackToken: o.ackToken ?? `ack-${randomUUID()}`,
    idempotencyKey: o.idempotencyKey,
    contentHash: o.contentHash ?? "hash-1",
    response: o.response ?? { id: notification.id, status: "accepted" },
    notification,
    deliveries: o.deliveries ?? [aDeliveryInput()],
    ...(o.routing ? { routing: o.routing } : {}),
  };
}
