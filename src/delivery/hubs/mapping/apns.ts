import type { AcceptedNotification, Priority, VisualContent } from "../../../legacy/types.js";
import type { NativeSend } from "../../native-send.js";
import { buildSend, JSON_CONTENT_TYPE } from "./build-send.js";
import { apnsCollapseId } from "./collapse-key.js";
import type { MappingContext } from "./context.js";
import { formatW3cDateTime } from "./expiry.js";
import { kindOf, visualPriority } from "./kind.js";
import { buildMetadata, METADATA_KEY } from "./metadata.js";

interface AlertOptions {
  visual: VisualContent;
  /** Route through the app's Notification Service Extension (A-NSE). */
  mutable: boolean;
  /** Also wake the app in the background (the raw half of raw+fallback). */
  wake: boolean;
  purpose?: NativeSend["purpose"];
  scheduledAt?: Date;
}

function buildApnsHeaders(n: AcceptedNotification, pushType: "alert" | "background", priority: 5 | 10) {
  return {
    "apns-push-type": pushType,
    "apns-priority": String(priority),
    "apns-collapse-id": apnsCollapseId(n),
    // NH's documented expiry header (W3C date-time); apns-expiration pass-through is unverified.
    "ServiceBusNotification-Apns-Expiry": formatW3cDateTime(n.expiresAt),
  };
}

/** Custom keys sit beside `aps`: APNs ignores custom keys inside it (A-GEN). */
function serializePayload(aps: Record<string, unknown>, n: AcceptedNotification, ctx: MappingContext): string {
  const raw = n.rawContent !== undefined ? { rawContent: n.rawContent } : {};
  return JSON.stringify({ aps, ...raw, [METADATA_KEY]: buildMetadata(n, ctx) });
}

function alertPriority(caller: Priority): 5 | 10 {
  return visualPriority(caller) === "Low" ? 5 : 10;
}

function buildAlertBody(n: AcceptedNotification, ctx: MappingContext, o: AlertOptions): string {
  const alert = { title: o.visual.title, ...(o.visual.body !== undefined ? { body: o.visual.body } : {}) };
  const aps: Record<string, unknown> = { alert };
  if (n.groupName !== undefined) aps["thread-id"] = n.groupName;
  if (o.mutable) aps["mutable-content"] = 1;
  if (o.wake) aps["content-available"] = 1;
  return serializePayload(aps, n, ctx);
}

function buildAlertSend(n: AcceptedNotification, ctx: MappingContext, o: AlertOptions): NativeSend {
  return buildSend("ios", ctx, {
    purpose: o.purpose,
    contentType: JSON_CONTENT_TYPE,
    headers: buildApnsHeaders(n, "alert", alertPriority(n.priority)),
    body: buildAlertBody(n, ctx, o),
    scheduledAt: o.scheduledAt,
  });
}

/** Background pushes: priority 5 always (10 is an error) and nothing but content-available in aps (A-BG). */
function buildBackgroundSend(n: AcceptedNotification, ctx: MappingContext): NativeSend {
  return buildSend("ios", ctx, {
    contentType: JSON_CONTENT_TYPE,
    headers: buildApnsHeaders(n, "background", 5),
    body: serializePayload({ "content-available": 1 }, n, ctx),
  });
}

/**
 * Deferred needs an ack token (outbox mode): without one the client could never cancel the alert,
 * so the immediate form is used. An alert that would fire at or after expiry is not planned.
 */
function mapRawWithFallback(n: AcceptedNotification, ctx: MappingContext): NativeSend[] {
  const fallback = n.fallback!;
  const alert: AlertOptions = { visual: fallback.visual, mutable: true, wake: true };
  if (ctx.iosFallbackMode === "immediate" || ctx.ackToken === undefined) return [buildAlertSend(n, ctx, alert)];
  const dueAt = new Date(ctx.now.getTime() + fallback.delaySeconds * 1000);
  const background = buildBackgroundSend(n, ctx);
  if (dueAt.getTime() >= n.expiresAt.getTime()) return [background];
  return [background, buildAlertSend(n, ctx, { ...alert, purpose: "ios-fallback-alert", scheduledAt: dueAt })];
}

/** APNs sends (format `apple`) for one notification; see docs/mapping.md. */
export function mapApns(n: AcceptedNotification, ctx: MappingContext): NativeSend[] {
  switch (kindOf(n)) {
    case "visual":
      return [buildAlertSend(n, ctx, { visual: n.visual!, mutable: false, wake: false })];
    case "both":
      return [buildAlertSend(n, ctx, { visual: n.visual!, mutable: true, wake: false })];
    case "raw":
      return [buildBackgroundSend(n, ctx)];
    case "raw+fallback":
      return mapRawWithFallback(n, ctx);
  }
}
