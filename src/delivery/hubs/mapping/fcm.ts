import type { AcceptedNotification } from "../../../legacy/types.js";
import type { NativeSend } from "../../native-send.js";
import { buildSend, JSON_CONTENT_TYPE } from "./build-send.js";
import { fcmCollapseKey, fcmTag } from "./collapse-key.js";
import type { MappingContext } from "./context.js";
import { formatFcmTtl } from "./expiry.js";
import { effectivePriority } from "./kind.js";
import { buildMetadata, flattenMetadata } from "./metadata.js";

/** `message.data`: a flat string map (F-REST); none of our keys is reserved (`from`, `google.*`, `gcm.*`). */
function buildData(n: AcceptedNotification, ctx: MappingContext): Record<string, string> {
  return {
    ...(n.rawContent !== undefined ? { rawContent: n.rawContent } : {}),
    ...flattenMetadata(buildMetadata(n, ctx)),
  };
}

function buildAndroidConfig(n: AcceptedNotification, ctx: MappingContext) {
  const collapseKey = fcmCollapseKey(n);
  return {
    priority: effectivePriority(n) === "High" ? "HIGH" : "NORMAL",
    ttl: formatFcmTtl(n.expiresAt, ctx.now),
    ...(collapseKey !== undefined ? { collapse_key: collapseKey } : {}),
    ...(n.visual !== undefined ? { notification: { tag: fcmTag(n) } } : {}),
  };
}

/**
 * FCM HTTP v1 send (format `fcmv1`): the `{"message": {...}}` envelope without a token, since
 * Notification Hubs addresses the devices (NH-FCM1). raw+fallback maps as raw on Android.
 */
export function mapFcm(n: AcceptedNotification, ctx: MappingContext): NativeSend[] {
  const notification = n.visual
    ? { notification: { title: n.visual.title, ...(n.visual.body !== undefined ? { body: n.visual.body } : {}) } }
    : {};
  const message = { ...notification, data: buildData(n, ctx), android: buildAndroidConfig(n, ctx) };
  return [buildSend("android", ctx, { contentType: JSON_CONTENT_TYPE, headers: {}, body: JSON.stringify({ message }) })];
}
