import type Database from "better-sqlite3";
import type { GroupCommit } from "./group-commit.js";
import { prepareCached } from "./statement-cache.js";
import type { ChangedFeedItem, ChangeFeedStateInput, FeedChangeResult, FeedChanges, FeedFilter, FeedItemRecord, FeedPageQuery, FeedScope, FeedStore } from "../feed.js";
import { normaliseFeedHost } from "../feed.js";
import { changedItem, decideFeedChange, FEED_INSERT_COLUMNS, feedItemValues, SYNC_TARGET_COLUMNS, syncTargetOf, toFeedItemRecord } from "../feed-rules.js";
import { DELIVERY_COLUMNS, deliveryValues } from "../records.js";
import type { AcceptPlan } from "../accept-plan.js";

type Row = Record<string, unknown>;
const SCOPE = "f.uns_id = @unsId AND f.target_host_name = @host";
const LISTED = "f.removed = 0 AND f.expires_at > @now";
const FILTERS = "(@readState IS NULL OR f.read_state = @readState) AND (@actionState IS NULL OR f.user_action_state = @actionState)";
const SELECT_ITEM = "SELECT f.*, n.body FROM feed_items f JOIN notifications n ON n.id = f.id";
// One sequence for every scope: under SQLite's single writer, MAX + 1 is read at the index's right edge.
const NEXT_SEQ = "(SELECT COALESCE(MAX(s.change_seq), 0) + 1 FROM feed_items s)";
const INSERT_ITEM = `INSERT INTO feed_items (${FEED_INSERT_COLUMNS.join(", ")}, change_seq)
  VALUES (${FEED_INSERT_COLUMNS.map(() => "?").join(", ")}, ${NEXT_SEQ})`;
const REMOVE_ITEM = `UPDATE feed_items SET removed = 1, modified_at = @now, change_seq = ${NEXT_SEQ}
  WHERE id = @id AND removed = 0`;
const INSERT_DELIVERY = `INSERT INTO deliveries (${DELIVERY_COLUMNS.join(", ")}) VALUES (${DELIVERY_COLUMNS.map(() => "?").join(", ")})`;

const scopeParams = (s: FeedScope) => ({ unsId: s.unsId, host: normaliseFeedHost(s.targetHostName) });
const filterParams = (q: FeedFilter) => ({ ...scopeParams(q), now: q.now.getTime(), readState: q.readState ?? null, actionState: q.userActionState ?? null });

/**
 * The accept's feed part, in its transaction: the stored items of the rows the plan retires
 * marked removed, and the items of its new rows that asked for one (removed from the start when
 * a later accept of the same plan retired the row).
 */
export function writeFeedOnAccept(db: Database.Database, plan: AcceptPlan, nowMs: number): void {
  for (const r of plan.retire) prepareCached(db, REMOVE_ITEM).run({ id: r.oldId, now: nowMs });
  for (const row of plan.insert) if (row.input.feed) prepareCached(db, INSERT_ITEM).run(...feedItemValues(row));
}

export function listFeedInSqlite(db: Database.Database, q: FeedPageQuery): FeedItemRecord[] {
  const rows = prepareCached(db, `${SELECT_ITEM} WHERE ${SCOPE} AND ${LISTED} AND ${FILTERS}
      AND (@beforeAt IS NULL OR f.created_at < @beforeAt OR (f.created_at = @beforeAt AND f.id < @beforeId))
      ORDER BY f.created_at DESC, f.id DESC LIMIT @limit`)
    .all({ ...filterParams(q), beforeAt: q.before?.createdAt.getTime() ?? null, beforeId: q.before?.id ?? null, limit: q.limit }) as Row[];
  return rows.map(toFeedItemRecord);
}

export function countFeedInSqlite(db: Database.Database, q: FeedFilter): number {
  const row = prepareCached(db, `SELECT COUNT(*) AS n FROM feed_items f WHERE ${SCOPE} AND ${LISTED} AND ${FILTERS}`).get(filterParams(q)) as Row;
  return Number(row.n);
}

export function getFeedItemInSqlite(db: Database.Database, o: FeedScope & { id: string; now: Date }): FeedItemRecord | undefined {
  const row = prepareCached(db, `${SELECT_ITEM} WHERE f.id = @id AND ${SCOPE} AND ${LISTED}`)
    .get({ ...scopeParams(o), id: o.id, now: o.now.getTime() }) as Row | undefined;
  return row && toFeedItemRecord(row);
}

export function feedChangesInSqlite(db: Database.Database, o: FeedScope & { afterSeq: number; limit: number; now: Date }): FeedChanges {
  // A first call (afterSeq 0) lists what is there; later ones also report what went.
  // `+f.change_seq`: read the user's rows in key order, never the whole table's change index.
  const rows = prepareCached(db, `${SELECT_ITEM} WHERE ${SCOPE} AND +f.change_seq > @after
      AND ((f.removed = 0 AND f.expires_at > @now) OR (f.removed = 1 AND @after > 0))
      ORDER BY f.change_seq LIMIT @limit`)
    .all({ ...scopeParams(o), after: o.afterSeq, now: o.now.getTime(), limit: o.limit }) as Row[];
  const items = rows.map(toFeedItemRecord);
  if (items.length > 0) return { items, lastSeq: items[items.length - 1].changeSeq };
  const top = prepareCached(db, `SELECT COALESCE(MAX(change_seq), 0) AS s FROM feed_items f WHERE ${SCOPE}`).get(scopeParams(o)) as Row;
  return { items, lastSeq: Math.max(o.afterSeq, Number(top.s)) };
}

/** The whole change in the caller's transaction (the group commit's). */
export function changeFeedStateInSqlite(db: Database.Database, input: ChangeFeedStateInput): FeedChangeResult[] {
  const scope = scopeParams(input);
  const nowMs = input.now.getTime();
  const ids = input.ids === "all"
    ? (prepareCached(db, `SELECT f.id FROM feed_items f WHERE ${SCOPE} AND ${LISTED} ORDER BY f.created_at, f.id`).all({ ...scope, now: nowMs }) as Row[]).map((r) => String(r.id))
    : [...new Set(input.ids)];
  const select = prepareCached(db, `SELECT f.*, n.body, ${SYNC_TARGET_COLUMNS}
      FROM feed_items f JOIN notifications n ON n.id = f.id WHERE f.id = @id AND ${SCOPE}`);
  const update = prepareCached(db, `UPDATE feed_items SET read_state = @readState, user_action_state = @actionState, version = version + 1,
      modified_at = @now, change_seq = ${NEXT_SEQ} WHERE id = @id RETURNING change_seq`);
  const results: FeedChangeResult[] = [];
  const changed: ChangedFeedItem[] = [];
  for (const id of ids) {
    const row = select.get({ ...scope, id }) as Row | undefined;
    const item = row && toFeedItemRecord(row);
    const d = decideFeedChange({ item, set: input.set, ifVersion: input.ifVersion, nowMs });
    if (d.outcome !== "changed" || !item || !d.readState || !d.userActionState) {
      results.push({ id, outcome: d.outcome, item: d.outcome === "not-found" ? undefined : item });
      continue;
    }
    const { change_seq } = update.get({ id, readState: d.readState, actionState: d.userActionState, now: nowMs }) as Row;
    const after = changedItem(item, { readState: d.readState, userActionState: d.userActionState, nowMs, changeSeq: Number(change_seq) });
    results.push({ id, outcome: "changed", item: after });
    changed.push({ ...after, syncTarget: syncTargetOf(row) });
  }
  if (changed.length > 0 && input.planSync) {
    const insert = prepareCached(db, INSERT_DELIVERY);
    for (const delivery of input.planSync(changed)) insert.run(...deliveryValues(delivery, delivery.notificationId, nowMs));
  }
  return results;
}

/** The feed role on SQLite; changes go through the store's group commit, reads straight to the connection. */
export class SqliteFeed implements FeedStore {
  constructor(private readonly db: Database.Database, private readonly writes: GroupCommit) {}

  async listFeed(q: FeedPageQuery): Promise<FeedItemRecord[]> {
    return listFeedInSqlite(this.db, q);
  }

  async countFeed(q: FeedFilter): Promise<number> {
    return countFeedInSqlite(this.db, q);
  }

  async getFeedItem(o: FeedScope & { id: string; now: Date }): Promise<FeedItemRecord | undefined> {
    return getFeedItemInSqlite(this.db, o);
  }

  changeFeedState(input: ChangeFeedStateInput): Promise<FeedChangeResult[]> {
    return this.writes.submit(() => changeFeedStateInSqlite(this.db, input));
  }

  async feedChangesSince(o: FeedScope & { afterSeq: number; limit: number; now: Date }): Promise<FeedChanges> {
    return feedChangesInSqlite(this.db, o);
  }
}
