import type { AcceptedNotification, Priority, VisualContent } from "../../../legacy/types.js";
import type { NativeSend } from "../../native-send.js";
import { buildSend } from "./build-send.js";
import { wnsGroup, wnsTag } from "./collapse-key.js";
import type { MappingContext } from "./context.js";
import { secondsUntil } from "./expiry.js";
import { kindOf, visualPriority } from "./kind.js";
import { buildMetadata, METADATA_KEY } from "./metadata.js";
import { fitsLimit } from "./size-limit.js";
import { buildToastXml } from "./toast-xml.js";

/** X-WNS-Priority (W-PRIO) of raw sends: 1 high, 2 medium, 3 low (WNS's own raw default). */
const WNS_PRIORITY: Record<Priority, string> = { High: "1", None: "2", Low: "3" };
/** Toasts are High (1, WNS's toast default) or, when the caller said Low, Medium (2): like APNs 5, power-aware but shown. */
function toastPriorityOf(caller: Priority): string {
  return visualPriority(caller) === "Low" ? "2" : "1";
}

/** The toast's `launch` argument: JSON with the metadata, and the raw content when asked. */
function buildLaunch(n: AcceptedNotification, ctx: MappingContext, withRaw: boolean): string {
  const raw = withRaw && n.rawContent !== undefined ? { rawContent: n.rawContent } : {};
  return JSON.stringify({ ...raw, [METADATA_KEY]: buildMetadata(n, ctx) });
}

// X-WNS-SuppressPopup is never sent: WNS drops notifications carrying it on Windows channels.
function buildToastHeaders(n: AcceptedNotification, ctx: MappingContext): Record<string, string> {
  return {
    "X-WNS-Type": "wns/toast",
    "X-WNS-Priority": toastPriorityOf(n.priority),
    "X-WNS-TTL": String(secondsUntil(n.expiresAt, ctx.now)),
    "X-WNS-Tag": wnsTag(n),
    ...(n.groupName !== undefined ? { "X-WNS-Group": wnsGroup(n.groupName) } : {}),
  };
}

function buildToastSend(n: AcceptedNotification, ctx: MappingContext, body: string): NativeSend {
  return buildSend("windows", ctx, { contentType: "application/xml", headers: buildToastHeaders(n, ctx), body });
}

/** The caller's bytes exactly: no metadata, as NH forwards only X-WNS-* headers to WNS. */
function buildRawSend(n: AcceptedNotification, ctx: MappingContext, purpose: NativeSend["purpose"]): NativeSend {
  return buildSend("windows", ctx, {
    purpose,
    contentType: "application/octet-stream",
    headers: {
      "X-WNS-Type": "wns/raw",
      "X-WNS-Priority": WNS_PRIORITY[n.priority],
      // Raw defaults to no-cache; cache keeps the latest one for an offline device until TTL.
      "X-WNS-Cache-Policy": "cache",
      "X-WNS-TTL": String(secondsUntil(n.expiresAt, ctx.now)),
    },
    body: n.rawContent ?? "",
  });
}

/** `both`: the raw content rides in the toast's launch argument when that fits, else a second raw send. */
function mapBoth(n: AcceptedNotification, ctx: MappingContext, visual: VisualContent): NativeSend[] {
  const withRaw = buildToastXml(visual, buildLaunch(n, ctx, true));
  if (fitsLimit("windows", withRaw)) return [buildToastSend(n, ctx, withRaw)];
  const toast = buildToastSend(n, ctx, buildToastXml(visual, buildLaunch(n, ctx, false)));
  return [toast, buildRawSend(n, ctx, "windows-raw")];
}

/** WNS sends (format `windows`); raw+fallback maps as raw on Windows. */
export function mapWns(n: AcceptedNotification, ctx: MappingContext): NativeSend[] {
  switch (kindOf(n)) {
    case "visual":
      return [buildToastSend(n, ctx, buildToastXml(n.visual!, buildLaunch(n, ctx, false)))];
    case "both":
      return mapBoth(n, ctx, n.visual!);
    case "raw":
    case "raw+fallback":
      return [buildRawSend(n, ctx, "primary")];
  }
}
