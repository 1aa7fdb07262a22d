import type pg from "pg";
import type { ChangedFeedItem, ChangeFeedStateInput, FeedChangeResult, FeedChanges, FeedFilter, FeedItemRecord, FeedPageQuery, FeedScope, FeedStore } from "../feed.js";
import { normaliseFeedHost } from "../feed.js";
import { changedItem, decideFeedChange, SYNC_TARGET_COLUMNS, syncTargetOf, toFeedItemRecord } from "../feed-rules.js";
import { DELIVERY_COLUMNS, deliveryValues } from "../records.js";
import { beginWithAcceptLocks } from "./postgres-accept-locks.js";
import { withTransaction } from "./postgres-transaction.js";

type Row = Record<string, unknown>;
type Queryable = pg.Pool | pg.PoolClient;
const SCOPE = "f.uns_id = $1 AND f.target_host_name = $2";
const LISTED = "NOT f.removed AND f.expires_at > $3";
const FILTERS = "($4::text IS NULL OR f.read_state = $4) AND ($5::text IS NULL OR f.user_action_state = $5)";
const SELECT_ITEM = "SELECT f.*, n.body FROM feed_items f JOIN notifications n ON n.id = f.id";
const filterParams = (q: FeedFilter) => [q.unsId, normaliseFeedHost(q.targetHostName), q.now.getTime(), q.readState ?? null, q.userActionState ?? null];

export async function listFeedInPostgres(db: Queryable, q: FeedPageQuery): Promise<FeedItemRecord[]> {
  const { rows } = await db.query(
    `${SELECT_ITEM} WHERE ${SCOPE} AND ${LISTED} AND ${FILTERS}
       AND ($6::bigint IS NULL OR (f.created_at, f.id) < ($6::bigint, $7::text))
     ORDER BY f.created_at DESC, f.id DESC LIMIT $8`,
    [...filterParams(q), q.before?.createdAt.getTime() ?? null, q.before?.id ?? null, q.limit],
  );
  return rows.map(toFeedItemRecord);
}

export async function countFeedInPostgres(db: Queryable, q: FeedFilter): Promise<number> {
  const { rows } = await db.query(`SELECT COUNT(*) AS n FROM feed_items f WHERE ${SCOPE} AND ${LISTED} AND ${FILTERS}`, filterParams(q));
  return Number(rows[0].n);
}

export async function getFeedItemInPostgres(db: Queryable, o: FeedScope & { id: string; now: Date }): Promise<FeedItemRecord | undefined> {
  const { rows } = await db.query(`${SELECT_ITEM} WHERE f.id = $4 AND ${SCOPE} AND ${LISTED}`, [o.unsId, normaliseFeedHost(o.targetHostName), o.now.getTime(), o.id]);
  return rows.length === 1 ? toFeedItemRecord(rows[0]) : undefined;
}

export async function feedChangesInPostgres(db: Queryable, o: FeedScope & { afterSeq: number; limit: number; now: Date }): Promise<FeedChanges> {
  const scope = [o.unsId, normaliseFeedHost(o.targetHostName)];
  // A first call (afterSeq 0) lists what is there; later ones also report what went.
  const { rows } = await db.query(
    `${SELECT_ITEM} WHERE ${SCOPE} AND f.change_seq > $3
       AND ((NOT f.removed AND f.expires_at > $4) OR (f.removed AND $3 > 0))
     ORDER BY f.change_seq LIMIT $5`,
    [...scope, o.afterSeq, o.now.getTime(), o.limit],
  );
  const items = rows.map(toFeedItemRecord);
  if (items.length > 0) return { items, lastSeq: items[items.length - 1].changeSeq };
  const top = await db.query(`SELECT COALESCE(MAX(change_seq), 0) AS s FROM feed_items f WHERE ${SCOPE}`, scope);
  return { items, lastSeq: Math.max(o.afterSeq, Number(top.rows[0].s)) };
}

/** One transaction under the user's advisory lock (the accepts' too): read, decide, update, write the sync deliveries. */
export function changeFeedStateInPostgres(pool: pg.Pool, input: ChangeFeedStateInput): Promise<FeedChangeResult[]> {
  return withTransaction(pool, async (c) => {
    const scope = [input.unsId, normaliseFeedHost(input.targetHostName)];
    const nowMs = input.now.getTime();
    const ids = input.ids === "all"
      ? (await c.query(`SELECT f.id FROM feed_items f WHERE ${SCOPE} AND ${LISTED} ORDER BY f.created_at, f.id`, [...scope, nowMs])).rows.map((r: Row) => String(r.id))
      : [...new Set(input.ids)];
    const { rows } = await c.query(
      `SELECT f.*, n.body, ${SYNC_TARGET_COLUMNS}
       FROM feed_items f JOIN notifications n ON n.id = f.id WHERE f.id = ANY($3::text[]) AND ${SCOPE}`,
      [...scope, ids],
    );
    const found = new Map((rows as Row[]).map((r) => [String(r.id), r]));
    const decided = ids.map((id) => {
      const row = found.get(id);
      const item = row && toFeedItemRecord(row);
      return { id, row, item, d: decideFeedChange({ item, set: input.set, ifVersion: input.ifVersion, nowMs }) };
    });
    const toChange = decided.filter((x) => x.d.outcome === "changed");
    const seqs = new Map<string, number>();
    if (toChange.length > 0) {
      const updated = await c.query(
        `UPDATE feed_items f SET read_state = v.rs, user_action_state = v.us, version = f.version + 1, modified_at = $1,
           change_seq = nextval('feed_change_seq')
         FROM unnest($2::text[], $3::text[], $4::text[]) AS v (id, rs, us) WHERE f.id = v.id RETURNING f.id, f.change_seq`,
        [nowMs, toChange.map((x) => x.id), toChange.map((x) => x.d.readState), toChange.map((x) => x.d.userActionState)],
      );
      for (const r of updated.rows as Row[]) seqs.set(String(r.id), Number(r.change_seq));
    }
    const changed: ChangedFeedItem[] = [];
    const results = decided.map(({ id, row, item, d }): FeedChangeResult => {
      if (d.outcome !== "changed" || !item || !row || !d.readState || !d.userActionState) return { id, outcome: d.outcome, item: d.outcome === "not-found" ? undefined : item };
      const after = changedItem(item, { readState: d.readState, userActionState: d.userActionState, nowMs, changeSeq: seqs.get(id) ?? item.changeSeq });
      changed.push({ ...after, syncTarget: syncTargetOf(row) });
      return { id, outcome: "changed", item: after };
    });
    if (changed.length > 0 && input.planSync) await insertDeliveries(c, input.planSync(changed).map((d) => deliveryValues(d, d.notificationId, nowMs)));
    return results;
  }, beginWithAcceptLocks([input.unsId]));
}

async function insertDeliveries(c: pg.PoolClient, rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((v) => `$${values.push(v)}`).join(", ")})`);
  await c.query(`INSERT INTO deliveries (${DELIVERY_COLUMNS.join(", ")}) VALUES ${tuples.join(", ")}`, values);
}

/** The feed role on PostgreSQL. */
export class PostgresFeed implements FeedStore {
  constructor(private readonly pool: pg.Pool) {}

  listFeed(q: FeedPageQuery): Promise<FeedItemRecord[]> {
    return listFeedInPostgres(this.pool, q);
  }

  countFeed(q: FeedFilter): Promise<number> {
    return countFeedInPostgres(this.pool, q);
  }

  getFeedItem(o: FeedScope & { id: string; now: Date }): Promise<FeedItemRecord | undefined> {
    return getFeedItemInPostgres(this.pool, o);
  }

  changeFeedState(input: ChangeFeedStateInput): Promise<FeedChangeResult[]> {
    return changeFeedStateInPostgres(this.pool, input);
  }

  feedChangesSince(o: FeedScope & { afterSeq: number; limit: number; now: Date }): Promise<FeedChanges> {
    return feedChangesInPostgres(this.pool, o);
  }
}
