import type { LegacyNotification, Priority } from "../../../legacy/types.js";

/** What a notification carries; decides the shape of every native send. */
export type NotificationKind = "visual" | "raw" | "both" | "raw+fallback";

type KindInput = Pick<LegacyNotification, "rawContent" | "visual" | "fallback">;

/**
 * `raw+fallback` needs raw content, no visual and a fallback: a notification that already
 * shows a visual makes the fallback moot, so it maps as `both` (or `visual`).
 */
export function kindOf(n: KindInput): NotificationKind {
  if (n.rawContent !== undefined && n.visual !== undefined) return "both";
  if (n.visual !== undefined) return "visual";
  return n.fallback ? "raw+fallback" : "raw";
}

/** Visuals count as High unless the caller said Low (legacy contract). */
export function visualPriority(caller: Priority): Priority {
  return caller === "Low" ? "Low" : "High";
}

/** The priority a send of this kind goes out with on the platforms that honour it. */
export function effectivePriority(n: KindInput & { priority: Priority }): Priority {
  const kind = kindOf(n);
  return kind === "visual" || kind === "both" ? visualPriority(n.priority) : n.priority;
}
