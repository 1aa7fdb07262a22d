import type pg from "pg";
import { normaliseFeedHost } from "../feed.js";
import type { AcceptInput } from "../store.js";

/**
 * The accept batch's feed part, a statement for its transaction (which holds every target's
 * advisory lock, so one user's sequence numbers are taken in commit order): the items of the
 * accepts that asked for one (marked removed when a later accept of the batch replaced them), and the stored items
 * the batch retired marked removed. undefined: nothing to write.
 */
export function feedQuery(o: { accepted: Array<{ input: AcceptInput; nowMs: number; replaced: boolean }>; retiredIds: string[]; nowMs: number }): pg.QueryConfig | undefined {
  const items = o.accepted.filter((a) => a.input.feed);
  if (items.length === 0 && o.retiredIds.length === 0) return undefined;
  const column = <T>(f: (a: (typeof items)[number]) => T): T[] => items.map(f);
  return {
    name: "gnb-accept-feed",
    text: `WITH removed AS (
       UPDATE feed_items SET removed = TRUE, modified_at = $1, change_seq = nextval('feed_change_seq')
       WHERE id = ANY($2::text[]) AND NOT removed
     )
     INSERT INTO feed_items (id, uns_id, target_host_name, created_at, expires_at, modified_at, read_state, user_action_state, version, change_seq, removed)
     SELECT v.id, v.uns_id, v.host, v.created_at, v.expires_at, v.created_at, 'unread', 'noInteraction', 1, nextval('feed_change_seq'), v.removed
     FROM unnest($3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::boolean[]) AS v (id, uns_id, host, created_at, expires_at, removed)`,
    values: [
      o.nowMs, o.retiredIds,
      column((a) => a.input.notification.id), column((a) => a.input.notification.unsId),
      column((a) => normaliseFeedHost(a.input.notification.targetHostName)), column((a) => a.nowMs),
      column((a) => a.input.notification.expiresAt.getTime()), column((a) => a.replaced),
    ],
  };
}
