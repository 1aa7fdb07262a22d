import { randomUUID } from "node:crypto";
import type { DeliveryStrategy, SubmitContext } from "../../src/delivery/strategy.js";
import { createdNotificationBody, notificationLocation } from "../../src/legacy/response.js";
import type { LegacyNotification } from "../../src/legacy/types.js";

/** A strategy that accepts everything and remembers what it was given: for testing the HTTP layer alone. */
export function recordingStrategy(now: () => Date) {
  const submitted: Array<{ notification: LegacyNotification; ctx: SubmitContext }> = [];
  const strategy: DeliveryStrategy = {
    name: "hubs",
    checkReady: async () => undefined,
    async submit(notification, ctx) {
      submitted.push({ notification, ctx });
      const accepted = { ...notification, id: randomUUID(), unsId: ctx.unsId, createdAt: now() };
      return { status: 201, headers: { Location: notificationLocation(ctx.baseUrl, accepted.id) }, body: createdNotificationBody(accepted, ctx.baseUrl) };
    },
  };
  return { strategy, submitted };
}
