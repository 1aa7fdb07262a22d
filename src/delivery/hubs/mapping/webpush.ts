import type { AcceptedNotification, Priority } from "../../../legacy/types.js";
import type { NativeSend } from "../../native-send.js";
import { buildSend, JSON_CONTENT_TYPE } from "./build-send.js";
import { webPushTopic } from "./collapse-key.js";
import type { MappingContext } from "./context.js";
import { secondsUntil } from "./expiry.js";
import { effectivePriority } from "./kind.js";
import { buildMetadata, METADATA_KEY } from "./metadata.js";

const URGENCY: Record<Priority, string> = { High: "high", None: "normal", Low: "low" };

/**
 * Web Push send (format `browser`): JSON for the site's service worker, which renders any visual
 * itself, plus the RFC 8030 headers TTL, Urgency and Topic. raw+fallback maps as raw.
 */
export function mapWebPush(n: AcceptedNotification, ctx: MappingContext): NativeSend[] {
  const payload = {
    ...(n.visual ? { title: n.visual.title, ...(n.visual.body !== undefined ? { body: n.visual.body } : {}) } : {}),
    ...(n.rawContent !== undefined ? { rawContent: n.rawContent } : {}),
    [METADATA_KEY]: buildMetadata(n, ctx),
  };
  const headers = {
    TTL: String(secondsUntil(n.expiresAt, ctx.now)),
    Urgency: URGENCY[effectivePriority(n)],
    Topic: webPushTopic(n),
  };
  return [buildSend("webpush", ctx, { contentType: JSON_CONTENT_TYPE, headers, body: JSON.stringify(payload) })];
}
