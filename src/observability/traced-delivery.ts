import type { Tracer } from "@opentelemetry/api";
import type { HubSender } from "../delivery/hubs/hub-sender.js";
import type { DeliveryRecord, SendReceipt } from "../store/store.js";
import { REQUEST_ID_ATTRIBUTE, withLinkedSpan, withSpan } from "./tracing.js";

/** Wraps every NH call in an `nh send` span (a child of whatever span is active). */
export function traceSender(sender: HubSender, tracer: Tracer | undefined): HubSender {
  if (!tracer) return sender;
  return {
    checkReady: () => sender.checkReady(),
    send: (send, o) =>
      withSpan(tracer, "nh send", { "bridge.platform": send.platform, "bridge.format": send.format, "bridge.purpose": send.purpose }, async (span) => {
        const receipt = await sender.send(send, o);
        if (receipt.trackingId) span?.setAttribute("nh.tracking_id", receipt.trackingId);
        return receipt;
      }),
  };
}

/**
 * Each outbox attempt becomes an `outbox delivery` root span linked to the accepting request's
 * span (its traceparent travelled with the delivery) and tagged with that request's id.
 */
export function traceDelivery(deliver: (d: DeliveryRecord) => Promise<SendReceipt>, tracer: Tracer | undefined) {
  if (!tracer) return deliver;
  return (d: DeliveryRecord) =>
    withLinkedSpan(
      tracer,
      "outbox delivery",
      d.send.trace?.traceparent,
      {
        ...(d.send.trace ? { [REQUEST_ID_ATTRIBUTE]: d.send.trace.requestId } : {}),
        "bridge.notification_id": d.notificationId,
        "bridge.delivery_id": d.id,
        "bridge.platform": d.platform,
        "bridge.attempt": d.attempts,
      },
      () => deliver(d),
    );
}
