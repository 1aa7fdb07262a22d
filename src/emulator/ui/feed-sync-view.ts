import type { RecordedDelivery } from "../model.js";
import type { RenderedDelivery } from "./rendered-delivery.js";

/** One change a bridge feed sync push names (docs/feed.md, "The sync push"). */
export interface FeedSyncChange {
  id: string;
  readState: string;
  userActionState: string;
  version: number;
}

const SYNC_KEY = "gnbSync";

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The payload under `gnbSync`: beside `aps`, in a raw or Web Push body, or as an FCM data string. */
function syncPayloadOf(d: RecordedDelivery): unknown {
  const body = parse(d.body) as Record<string, unknown> | undefined;
  if (!body || typeof body !== "object") return undefined;
  if (SYNC_KEY in body) return body[SYNC_KEY];
  const data = (body.message as { data?: Record<string, unknown> } | undefined)?.data;
  return typeof data?.[SYNC_KEY] === "string" ? parse(data[SYNC_KEY]) : undefined;
}

/** The changes a delivery announces when it is the bridge's feed sync push; undefined otherwise. */
export function syncChangesOf(d: RecordedDelivery): FeedSyncChange[] | undefined {
  const payload = syncPayloadOf(d) as { changes?: unknown } | undefined;
  if (!payload || !Array.isArray(payload.changes)) return undefined;
  return payload.changes.flatMap((c: Record<string, unknown>) =>
    typeof c?.id === "string" ? [{ id: c.id, readState: String(c.readState), userActionState: String(c.userActionState), version: Number(c.version) || 0 }] : []);
}

/** The newest state of each notification id that sync pushes named (highest version wins: pushes may arrive out of order). */
export function latestFeedStates(deliveries: readonly RecordedDelivery[]): Map<string, FeedSyncChange> {
  const latest = new Map<string, FeedSyncChange>();
  for (const d of deliveries) {
    for (const c of syncChangesOf(d) ?? []) {
      const known = latest.get(c.id);
      if (!known || c.version > known.version) latest.set(c.id, c);
    }
  }
  return latest;
}

/**
 * Marks a sync push as such, and shows on a notification the read and action state its user's
 * devices were last told of (matched by the bridge id its payload carries).
 */
export function withFeedState(d: RecordedDelivery, rendered: RenderedDelivery, states: Map<string, FeedSyncChange>): RenderedDelivery {
  const changes = syncChangesOf(d);
  if (changes) {
    return { ...rendered, label: `Feed sync (${rendered.label})`, feedSync: changes };
  }
  for (const [id, c] of states) {
    if (d.body.includes(id)) return { ...rendered, feedState: { readState: c.readState, userActionState: c.userActionState } };
  }
  return rendered;
}
