import type BetterSqlite3 from "better-sqlite3";
import Database from "./sqlite-driver.js";
import { keepConnection, prepareCached } from "./statement-cache.js";
import { matchesAckToken } from "../ack-token.js";
import { loadMigrations, type Migration } from "../migrations.js";
import { toDeliveryRecord, toNotificationRecord, outcomeColumns } from "../records.js";
import type {
  AcceptInput, AcceptOutcome, AckResult, ClaimRef, DeliveryRecord, DeliveryState, NotificationRecord, OutboxStats, SendReceipt, Store,
} from "../store.js";
import { stateCondition } from "../store.js";
import { GroupCommit } from "./group-commit.js";
import { acceptInSqlite } from "./sqlite-accept.js";
import { SqliteFeed } from "./sqlite-feed.js";
import type { FeedStore } from "../feed.js";
import { SqliteSubscriptions } from "./sqlite-subscriptions.js";
import type { SubscriptionStore } from "../subscription-store.js";

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);
const UNFINISHED = "state IN ('pending', 'retrying')";
const SELECT_DELIVERY = `SELECT d.*, n.expires_at AS notification_expires_at
  FROM deliveries d JOIN notifications n ON n.id = d.notification_id`;
type Row = Record<string, unknown>;
type OutcomeKind = keyof typeof outcomeColumns;
type ClaimParams = { owner: string; until: number; now: number; limit: number };
/**
 * Each outcome kind's UPDATE, built on first use from its columns (every kind always sets the same
 * ones): building the text per write, and hashing a new string to find its cached statement, cost
 * more than the statement itself on the outbox thread.
 */
const finishSql: Partial<Record<OutcomeKind, string>> = {};
/** Size of probeWrite's row: about what an accept of a few deliveries writes. */
const PROBE_BYTES = 16_384;

/**
 * SQLite backend (better-sqlite3, synchronous). WAL with synchronous=NORMAL: a commit survives a
 * process crash (kill -9) but the last commits may be lost on power loss; see docs/designs/2026-11-outbox.md.
 */
export class SqliteStore implements Store {
  readonly backend = "sqlite" as const;
  private readonly db: BetterSqlite3.Database;
  private migrations?: Migration[];
  private readonly writes: GroupCommit;
  private readonly claimLeases: BetterSqlite3.Transaction<(p: ClaimParams) => string[]>;
  readonly subscriptions: SubscriptionStore;
  readonly feed: FeedStore;

  constructor(filename: string, o: { walCheckpoints?: boolean; commitDelayMs?: number } = {}) {
    this.db = keepConnection(new Database(filename));
    // exec, not pragma(): pragma() prepares a statement that would become garbage (statement-cache.ts).
    this.db.exec("PRAGMA journal_mode = WAL");
    this.db.exec("PRAGMA synchronous = NORMAL");
    this.db.exec("PRAGMA foreign_keys = ON");
    // The group commit gives each write a savepoint, and SQLite keeps the pages a savepoint changes
    // in a sub-journal that lives as long as the transaction: past 64 KiB (a few accepts) it went to a
    // temp file, about 30 writes per accept. In memory it is dropped at each RELEASE instead. Temp
    // storage never holds committed data: durability is the WAL's alone.
    this.db.exec("PRAGMA temp_store = MEMORY");
    if (o.walCheckpoints === false) this.db.exec("PRAGMA wal_autocheckpoint = 0");
    this.db.exec("PRAGMA busy_timeout = 5000"); // another process holding the write lock: wait, don't fail
    this.writes = new GroupCommit(this.db, { commitDelayMs: o.commitDelayMs });
    // Built once: better-sqlite3's transaction() makes four wrapper functions each time it is called.
    this.claimLeases = this.db.transaction((p: ClaimParams): string[] =>
      (prepareCached(this.db, `UPDATE deliveries SET lease_owner = @owner, lease_expires_at = @until, attempts = attempts + 1, updated_at = @now
          WHERE id IN (SELECT id FROM deliveries WHERE ${UNFINISHED} AND next_attempt_at <= @now
            AND (lease_owner IS NULL OR lease_expires_at <= @now) ORDER BY next_attempt_at, id LIMIT @limit)
          RETURNING id`).all(p) as Row[]).map((r) => String(r.id)));
    this.subscriptions = new SqliteSubscriptions(this.db, this.writes);
    this.feed = new SqliteFeed(this.db, this.writes);
  }

  async migrate(): Promise<void> {
    const migrations = await this.loadMigrations();
    this.db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
    const apply = this.db.transaction((m: Migration) => {
      if (prepareCached(this.db, "SELECT 1 FROM schema_migrations WHERE version = ?").get(m.version)) return;
      this.db.exec(m.sql);
      prepareCached(this.db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, CAST(unixepoch('subsec') * 1000 AS INTEGER))")
        .run(m.version, m.name);
    });
    for (const m of migrations) apply.immediate(m);
  }

  async ping(): Promise<void> {
    prepareCached(this.db, "SELECT 1").get();
  }

  async probeWrite(): Promise<void> {
    // After a full disk the WAL holds many versions of the same pages: moving them into the
    // database and truncating it gives most of that space back (it fails harmlessly while full).
    try {
      this.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch {
      // still full, or another connection is reading: the write below decides
    }
    // A few pages really committed (a full disk fails here), in a row of schema_migrations that no
    // migration uses, then removed. Through the group commit, like every other write.
    await this.writes.submit(() => prepareCached(this.db, "INSERT OR REPLACE INTO schema_migrations (version, name, applied_at) VALUES (-1, zeroblob(?), 0)").run(PROBE_BYTES));
    await this.writes.submit(() => prepareCached(this.db, "DELETE FROM schema_migrations WHERE version = -1").run());
  }

  async migrationsApplied(): Promise<boolean> {
    const migrations = await this.loadMigrations();
    const table = prepareCached(this.db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (!table) return false;
    const applied = new Set(
      (prepareCached(this.db, "SELECT version FROM schema_migrations").all() as Row[]).map((r) => Number(r.version)),
    );
    return migrations.every((m) => applied.has(m.version));
  }

  async acceptNotification({ now, ...input }: AcceptInput & { now: Date }): Promise<AcceptOutcome> {
    return this.writes.submit(() => acceptInSqlite(this.db, input, now.getTime()));
  }

  async claimDueDeliveries(o: { owner: string; now: Date; limit: number; leaseMs: number }): Promise<DeliveryRecord[]> {
    const now = o.now.getTime();
    // Only the lease is written under the write lock; the claimed rows are read after the commit
    // (they are ours until the lease ends), so the lock is held for the UPDATE alone.
    const ids = this.claimLeases.immediate({ owner: o.owner, until: now + o.leaseMs, now, limit: o.limit });
    if (ids.length === 0) return [];
    const rows = prepareCached(this.db, `${SELECT_DELIVERY} WHERE d.id IN (SELECT value FROM json_each(?)) ORDER BY d.next_attempt_at, d.id`)
      .all(JSON.stringify(ids)) as Row[];
    return rows.map(toDeliveryRecord);
  }

  async markSent(o: ClaimRef & { receipt: SendReceipt }): Promise<boolean> {
    return this.writes.submitStatement(() => this.finish("sent", o, outcomeColumns.sent(o.receipt, o.now)));
  }

  async markRetry(o: ClaimRef & { error: string; status?: number; nextAttemptAt: Date }): Promise<boolean> {
    return this.writes.submitStatement(() => this.finish("retry", o, outcomeColumns.retry(o)));
  }

  async markFinal(o: ClaimRef & { state: "dead-lettered" | "expired" | "cancelled"; error: string; status?: number }): Promise<boolean> {
    return this.writes.submitStatement(() => this.finish("final", o, outcomeColumns.final(o)));
  }

  /** Applies `set` and drops the lease, only while `owner` still holds the claim. */
  private finish(kind: OutcomeKind, { id, owner, now }: ClaimRef, set: Record<string, unknown>): boolean {
    const sql = (finishSql[kind] ??= `UPDATE deliveries SET ${Object.keys(set).map((k) => `${k} = @${k}`).join(", ")},
        lease_owner = NULL, lease_expires_at = NULL, updated_at = @now_ms WHERE id = @id AND lease_owner = @owner AND ${UNFINISHED}`);
    const result = prepareCached(this.db, sql).run({ ...set, id, owner, now_ms: now.getTime() });
    return result.changes === 1;
  }

  // Every write goes through the group commit, so none of them puts the loop to sleep while the
  // other connection (the outbox thread, another process) holds the write lock.
  async releaseClaims({ owner, now }: { owner: string; now: Date }): Promise<number> {
    return this.writes.submit(() => prepareCached(this.db, `UPDATE deliveries SET lease_owner = NULL, lease_expires_at = NULL, attempts = MAX(attempts - 1, 0), updated_at = ?
        WHERE lease_owner = ? AND ${UNFINISHED}`)
      .run(now.getTime(), owner).changes);
  }

  async getNotification(id: string): Promise<{ notification: NotificationRecord; deliveries: DeliveryRecord[] } | undefined> {
    const row = prepareCached(this.db, "SELECT * FROM notifications WHERE id = ?").get(id) as Row | undefined;
    if (!row) return undefined;
    const deliveries = prepareCached(this.db, `${SELECT_DELIVERY} WHERE d.notification_id = ? ORDER BY d.created_at, d.id`).all(id) as Row[];
    return { notification: toNotificationRecord(row), deliveries: deliveries.map(toDeliveryRecord) };
  }

  async listDeliveries(o: { state?: DeliveryState; limit: number; after?: string }): Promise<DeliveryRecord[]> {
    const rows = prepareCached(this.db, `${SELECT_DELIVERY} WHERE ${stateCondition(o.state)} AND (@after IS NULL OR d.id > @after)
        ORDER BY d.id LIMIT @limit`)
      .all({ after: o.after ?? null, limit: o.limit }) as Row[];
    return rows.map(toDeliveryRecord);
  }

  async replayDelivery({ id, now }: { id: string; now: Date }): Promise<DeliveryRecord | undefined> {
    const changed = await this.writes.submit(() => prepareCached(this.db, `UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = @now, lease_owner = NULL,
        lease_expires_at = NULL, updated_at = @now WHERE id = @id AND state IN ('dead-lettered', 'expired')
          AND (SELECT expires_at FROM notifications n WHERE n.id = deliveries.notification_id) > @now`)
      .run({ id, now: now.getTime() }).changes);
    if (changed !== 1) return undefined;
    return toDeliveryRecord(prepareCached(this.db, `${SELECT_DELIVERY} WHERE d.id = ?`).get(id) as Row);
  }

  async getDelivery(id: string): Promise<DeliveryRecord | undefined> {
    const row = prepareCached(this.db, `${SELECT_DELIVERY} WHERE d.id = ?`).get(id) as Row | undefined;
    return row && toDeliveryRecord(row);
  }

  async acknowledge(o: { notificationId: string; ackToken: string; installationId?: string; now: Date }): Promise<AckResult> {
    const row = prepareCached(this.db, "SELECT ack_token FROM notifications WHERE id = ?").get(o.notificationId) as Row | undefined;
    if (!row) return "not-found";
    if (!matchesAckToken(String(row.ack_token), o.ackToken)) return "bad-token";
    await this.writes.submit(() => prepareCached(this.db, `INSERT INTO acknowledgements (notification_id, installation_id, acknowledged_at)
        SELECT @id, @inst, @now WHERE NOT EXISTS (SELECT 1 FROM acknowledgements
          WHERE notification_id = @id AND installation_id IS @inst)`)
      .run({ id: o.notificationId, inst: o.installationId ?? null, now: o.now.getTime() }));
    return "ok";
  }

  async listAcknowledgedInstallations(notificationId: string): Promise<{ all: boolean; installationIds: string[] }> {
    const rows = prepareCached(this.db, "SELECT DISTINCT installation_id FROM acknowledgements WHERE notification_id = ? ORDER BY installation_id")
      .all(notificationId) as Row[];
    const installationIds = rows.filter((r) => r.installation_id !== null).map((r) => String(r.installation_id));
    return { all: rows.some((r) => r.installation_id === null), installationIds };
  }

  async outboxStats(now: Date): Promise<OutboxStats> {
    // Three index-driven counts, never a scan of the whole table: sent rows pile up, and a
    // scrape must cost the same with ten rows or ten million (SQLite blocks the loop meanwhile).
    const row = prepareCached(this.db, `SELECT
          (SELECT COUNT(*) FROM deliveries WHERE ${UNFINISHED}) AS pending,
          (SELECT COUNT(*) FROM deliveries WHERE state = 'dead-lettered') AS dead,
          due.n AS due, due.oldest AS oldest
        FROM (SELECT COUNT(*) AS n, MIN(next_attempt_at) AS oldest FROM deliveries
              WHERE ${UNFINISHED} AND next_attempt_at <= @now AND (lease_owner IS NULL OR lease_expires_at <= @now)) AS due`)
      .get({ now: now.getTime() }) as Row;
    return {
      due: Number(row.due), pending: Number(row.pending), deadLettered: Number(row.dead),
      oldestDueAgeMs: row.oldest === null ? 0 : now.getTime() - Number(row.oldest),
    };
  }

  async purgeFinished(o: { before: Date; limit: number }): Promise<number> {
    return this.writes.submit(() => {
      // A listed feed item keeps its notification until it has been expired for the retention period too.
      const ids = (prepareCached(this.db, `SELECT id FROM notifications n WHERE created_at < @before AND NOT EXISTS
          (SELECT 1 FROM deliveries d WHERE d.notification_id = n.id AND d.${UNFINISHED})
          AND NOT EXISTS (SELECT 1 FROM feed_items f WHERE f.id = n.id AND f.removed = 0 AND f.expires_at >= @before)
          ORDER BY created_at LIMIT @limit`)
        .all({ before: o.before.getTime(), limit: o.limit }) as Row[]).map((r) => String(r.id));
      if (ids.length === 0) return 0;
      const list = JSON.stringify(ids);
      for (const table of ["acknowledgements", "deliveries"]) {
        prepareCached(this.db, `DELETE FROM ${table} WHERE notification_id IN (SELECT value FROM json_each(?))`).run(list);
      }
      prepareCached(this.db, "DELETE FROM feed_items WHERE id IN (SELECT value FROM json_each(?))").run(list);
      return prepareCached(this.db, "DELETE FROM notifications WHERE id IN (SELECT value FROM json_each(?))").run(list).changes;
    });
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.writes.flushNow();
    this.db.close();
  }

  private async loadMigrations(): Promise<Migration[]> {
    this.migrations ??= await loadMigrations(MIGRATIONS_DIR);
    return this.migrations;
  }
}
