import type { FeedItemRecord } from "../store/feed.js";

/** `W/"<version>"`: the item's ETag, also its `@odata.etag`. */
export const etagOf = (item: Pick<FeedItemRecord, "version">): string => `W/"${item.version}"`;

/**
 * The version an If-Match names: undefined for `*` (any version), NaN when it names none we
 * could have issued (never matches). Weak and strong spellings are both taken: clients echo the
 * ETag they got, and ours are weak (RFC 9110 13.1.1 compares strongly; Graph's APIs accept W/).
 */
export function versionOfIfMatch(header: string): number | undefined {
  const value = header.trim();
  if (value === "*") return undefined;
  const m = /^(?:W\/)?"(\d{1,9})"$/.exec(value);
  return m ? Number(m[1]) : Number.NaN;
}

/** The feed item as the client API shows it (Graph's notification fields plus the two states). */
export function feedItemView(item: FeedItemRecord) {
  const n = item.notification;
  const payload: Record<string, unknown> = {};
  if (n.rawContent !== undefined) payload.rawContent = n.rawContent;
  if (n.visual) payload.visualContent = { title: n.visual.title, body: n.visual.body ?? null };
  return {
    "@odata.etag": etagOf(item),
    id: item.id,
    appNotificationId: n.appNotificationId ?? null,
    targetHostName: n.targetHostName,
    payload,
    priority: n.priority,
    groupName: n.groupName ?? null,
    createdDateTime: item.createdAt.toISOString(),
    expirationDateTime: item.expiresAt.toISOString(),
    lastModifiedDateTime: item.modifiedAt.toISOString(),
    readState: item.readState,
    userActionState: item.userActionState,
  };
}

/** A removed item in a delta answer, as Graph's delta queries report deletions. */
export const removedItemView = (item: Pick<FeedItemRecord, "id">) => ({ id: item.id, "@removed": { reason: "deleted" } });

const encode = (s: string): string => Buffer.from(s, "utf8").toString("base64url");
const decode = (s: string): string => Buffer.from(s, "base64url").toString("utf8");

/** Opaque `$skiptoken` of a list page: the last item's position (newest first). */
export const listToken = (item: Pick<FeedItemRecord, "createdAt" | "id">): string => encode(`l.${item.createdAt.getTime()}.${item.id}`);

export function parseListToken(token: string): { createdAt: Date; id: string } | undefined {
  const m = /^l\.(\d{1,16})\.(.{1,200})$/s.exec(decode(token));
  return m ? { createdAt: new Date(Number(m[1])), id: m[2] } : undefined;
}

/** Opaque `$deltatoken`/`$skiptoken` of a delta: the position in the user's changes. */
export const deltaToken = (seq: number): string => encode(`d.${seq}`);

export function parseDeltaToken(token: string): number | undefined {
  const m = /^d\.(\d{1,15})$/.exec(decode(token));
  return m ? Number(m[1]) : undefined;
}
