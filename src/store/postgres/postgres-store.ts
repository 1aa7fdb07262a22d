import pg from "pg";
import { matchesAckToken } from "../ack-token.js";
import { loadMigrations, type Migration } from "../migrations.js";
import { toDeliveryRecord, toNotificationRecord, outcomeColumns } from "../records.js";
import type {
  AcceptInput, AcceptOutcome, AckResult, ClaimRef, DeliveryRecord, DeliveryState, NotificationRecord, OutboxStats, SendReceipt, Store,
} from "../store.js";
import { stateCondition } from "../store.js";
import { CLAIM_SETTINGS, claimQuery } from "./postgres-claim.js";
import { lastResult } from "./postgres-transaction.js";
import { PostgresAcceptBatcher } from "./postgres-accept-batcher.js";
import { PostgresOutcomeWriter } from "./postgres-outcomes.js";
import { migratePostgres } from "./postgres-migrate.js";
import { PostgresFeed } from "./postgres-feed.js";
import type { FeedStore } from "../feed.js";
import { PostgresSubscriptions } from "./postgres-subscriptions.js";
import type { SubscriptionStore } from "../subscription-store.js";
import { StoreUnavailableError } from "../store-unavailable.js";

const MIGRATIONS_DIR = new URL("./migrations/", import.meta.url);
const UNFINISHED = "state IN ('pending', 'retrying')";
const DUE_ONLY = "next_attempt_at <= $1 AND (lease_owner IS NULL OR lease_expires_at <= $1)";
const CONNECT_TIMEOUT_MS = 5000;
const SELECT_DELIVERY = `SELECT d.*, n.expires_at AS notification_expires_at
  FROM deliveries d JOIN notifications n ON n.id = d.notification_id`;

export interface PostgresStoreOptions {
  connectionString: string;
  /** Schema to use (created by migrate()); tests give each test its own. */
  schema?: string;
  maxConnections?: number;
  /**
   * false: commits do not wait for the WAL flush (synchronous_commit=off). Only for a connection
   * that claims and records outcomes (see OpenStoreOptions.outboxOnly), never for accepts.
   */
  synchronousCommit?: boolean;
}

/** PostgreSQL backend over a pg.Pool; claims with FOR UPDATE SKIP LOCKED so many workers share the outbox. */
export class PostgresStore implements Store {
  readonly backend = "postgres" as const;
  private readonly pool: pg.Pool;
  private readonly schema?: string;
  private migrations?: Migration[];
  private readonly outcomes: PostgresOutcomeWriter;
  private readonly accepts: PostgresAcceptBatcher;
  readonly subscriptions: SubscriptionStore;
  readonly feed: FeedStore;

  constructor(o: PostgresStoreOptions) {
    if (o.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(o.schema)) {
      throw new Error(`Invalid PostgreSQL schema name '${o.schema}': use lower-case letters, digits and underscores.`);
    }
    this.schema = o.schema;
    this.pool = new pg.Pool({
      connectionString: o.connectionString,
      max: o.maxConnections ?? 10,
      // A server that does not answer (a network partition, a host down) fails the request rather
      // than queueing it forever: the caller gets a 503 and readiness goes false.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // Queries are written as soon as they are made: an accept batch's writes and its COMMIT go
      // together (withTransactionEndingInWrites). Callers that await each query see no difference.
      pipeline: true,
      options: [o.schema ? `-c search_path=${o.schema}` : "", o.synchronousCommit === false ? "-c synchronous_commit=off" : ""].join(" ").trim() || undefined,
    });
    this.pool.on("error", () => undefined); // an idle client dropped by the server; the next query reconnects
    this.outcomes = new PostgresOutcomeWriter(this.pool, UNFINISHED);
    // Leave pool connections for claims, outcomes and reads.
    this.subscriptions = new PostgresSubscriptions(this.pool);
    this.feed = new PostgresFeed(this.pool);
    this.accepts = new PostgresAcceptBatcher(this.pool, { maxInFlight: Math.max(1, Math.floor((o.maxConnections ?? 10) / 2)), maxBatch: 200 });
  }

  async migrate(): Promise<void> {
    await migratePostgres(this.pool, await this.loadMigrations(), this.schema);
  }

  async ping(): Promise<void> {
    await this.pool.query("SELECT 1");
  }

  async probeWrite(): Promise<void> {
    // A connection that works and a server that takes writes (not a read-only standby after a failover).
    const { rows } = await this.pool.query("SELECT pg_is_in_recovery() AS standby, current_setting('transaction_read_only') AS ro");
    if (rows[0].standby || rows[0].ro === "on") throw new StoreUnavailableError("PostgreSQL is read-only (a standby, or default_transaction_read_only)");
  }

  async migrationsApplied(): Promise<boolean> {
    const exists = await this.pool.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS ok");
    if (!exists.rows[0].ok) return false;
    const applied = new Set((await this.pool.query("SELECT version FROM schema_migrations")).rows.map((r) => Number(r.version)));
    return (await this.loadMigrations()).every((m) => applied.has(m.version));
  }

  async acceptNotification({ now, ...input }: AcceptInput & { now: Date }): Promise<AcceptOutcome> {
    return this.accepts.submit(input, now.getTime());
  }

  async claimDueDeliveries(o: { owner: string; now: Date; limit: number; leaseMs: number }): Promise<DeliveryRecord[]> {
    const now = o.now.getTime();
    const { rows } = lastResult(await this.pool.query(`${CLAIM_SETTINGS}; ${claimQuery({ now, limit: o.limit, owner: o.owner, leaseExpiresAt: now + o.leaseMs })}`));
    return rows.map(toDeliveryRecord);
  }

  async markSent(o: ClaimRef & { receipt: SendReceipt }): Promise<boolean> {
    return this.finish(o, outcomeColumns.sent(o.receipt, o.now));
  }

  async markRetry(o: ClaimRef & { error: string; status?: number; nextAttemptAt: Date }): Promise<boolean> {
    return this.finish(o, outcomeColumns.retry(o));
  }

  async markFinal(o: ClaimRef & { state: "dead-lettered" | "expired" | "cancelled"; error: string; status?: number }): Promise<boolean> {
    return this.finish(o, outcomeColumns.final(o));
  }

  /** Applies `set` and drops the lease, only while `owner` still holds the claim (written in groups). */
  private finish({ id, owner, now }: ClaimRef, set: Record<string, unknown>): Promise<boolean> {
    return this.outcomes.write(id, owner, now.getTime(), set);
  }

  async releaseClaims({ owner, now }: { owner: string; now: Date }): Promise<number> {
    const result = await this.pool.query(
      `UPDATE deliveries SET lease_owner = NULL, lease_expires_at = NULL, attempts = GREATEST(attempts - 1, 0), updated_at = $2
        WHERE lease_owner = $1 AND ${UNFINISHED}`,
      [owner, now.getTime()],
    );
    return result.rowCount ?? 0;
  }

  async getNotification(id: string): Promise<{ notification: NotificationRecord; deliveries: DeliveryRecord[] } | undefined> {
    const n = await this.pool.query("SELECT * FROM notifications WHERE id = $1", [id]);
    if (n.rows.length === 0) return undefined;
    const d = await this.pool.query(`${SELECT_DELIVERY} WHERE d.notification_id = $1 ORDER BY d.created_at, d.id`, [id]);
    return { notification: toNotificationRecord(n.rows[0]), deliveries: d.rows.map(toDeliveryRecord) };
  }

  async listDeliveries(o: { state?: DeliveryState; limit: number; after?: string }): Promise<DeliveryRecord[]> {
    const { rows } = await this.pool.query(
      `${SELECT_DELIVERY} WHERE ${stateCondition(o.state)} AND ($1::text IS NULL OR d.id > $1) ORDER BY d.id LIMIT $2`,
      [o.after ?? null, o.limit],
    );
    return rows.map(toDeliveryRecord);
  }

  async replayDelivery({ id, now }: { id: string; now: Date }): Promise<DeliveryRecord | undefined> {
    const { rows } = await this.pool.query(
      `WITH replayed AS (
         UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = $2, lease_owner = NULL,
           lease_expires_at = NULL, updated_at = $2
         WHERE id = $1 AND state IN ('dead-lettered', 'expired')
           AND (SELECT expires_at FROM notifications n WHERE n.id = deliveries.notification_id) > $2 RETURNING *
       )
       SELECT replayed.*, n.expires_at AS notification_expires_at FROM replayed JOIN notifications n ON n.id = replayed.notification_id`,
      [id, now.getTime()],
    );
    return rows.length === 1 ? toDeliveryRecord(rows[0]) : undefined;
  }

  async getDelivery(id: string): Promise<DeliveryRecord | undefined> {
    const { rows } = await this.pool.query(`${SELECT_DELIVERY} WHERE d.id = $1`, [id]);
    return rows.length === 1 ? toDeliveryRecord(rows[0]) : undefined;
  }

  async acknowledge(o: { notificationId: string; ackToken: string; installationId?: string; now: Date }): Promise<AckResult> {
    const { rows } = await this.pool.query("SELECT ack_token FROM notifications WHERE id = $1", [o.notificationId]);
    if (rows.length === 0) return "not-found";
    if (!matchesAckToken(String(rows[0].ack_token), o.ackToken)) return "bad-token";
    await this.pool.query(
      `INSERT INTO acknowledgements (notification_id, installation_id, acknowledged_at)
       SELECT $1, $2::text, $3 WHERE NOT EXISTS (SELECT 1 FROM acknowledgements
         WHERE notification_id = $1 AND installation_id IS NOT DISTINCT FROM $2::text)`,
      [o.notificationId, o.installationId ?? null, o.now.getTime()],
    );
    return "ok";
  }

  async listAcknowledgedInstallations(notificationId: string): Promise<{ all: boolean; installationIds: string[] }> {
    const { rows } = await this.pool.query(
      "SELECT DISTINCT installation_id FROM acknowledgements WHERE notification_id = $1 ORDER BY installation_id",
      [notificationId],
    );
    const installationIds = rows.filter((r) => r.installation_id !== null).map((r) => String(r.installation_id));
    return { all: rows.some((r) => r.installation_id === null), installationIds };
  }

  async outboxStats(now: Date): Promise<OutboxStats> {
    const { rows } = await this.pool.query(
      // Index-driven counts (deliveries_claim, deliveries_dead_lettered), never a scan of every sent row;
      // pending and due in one pass over the unfinished rows (they were two, each as long as the backlog).
      `SELECT COUNT(*) AS pending, COUNT(*) FILTER (WHERE ${DUE_ONLY}) AS due, MIN(next_attempt_at) FILTER (WHERE ${DUE_ONLY}) AS oldest,
         (SELECT COUNT(*) FROM deliveries WHERE state = 'dead-lettered') AS dead
       FROM deliveries WHERE ${UNFINISHED}`,
      [now.getTime()],
    );
    const r = rows[0];
    return {
      due: Number(r.due), pending: Number(r.pending), deadLettered: Number(r.dead),
      oldestDueAgeMs: r.oldest === null ? 0 : now.getTime() - Number(r.oldest),
    };
  }

  async purgeFinished(o: { before: Date; limit: number }): Promise<number> {
    // SKIP LOCKED: workers of several processes purging at once take different rows. The
    // foreign keys are checked at the end of the statement, when all three deletes are done.
    const { rowCount } = await this.pool.query(
      `WITH doomed AS (
         SELECT id FROM notifications n WHERE created_at < $1 AND NOT EXISTS
           (SELECT 1 FROM deliveries d WHERE d.notification_id = n.id AND d.${UNFINISHED})
           -- A listed feed item keeps its notification until it has been expired for the retention period too.
           AND NOT EXISTS (SELECT 1 FROM feed_items f WHERE f.id = n.id AND NOT f.removed AND f.expires_at >= $1)
         ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), acks AS (
         DELETE FROM acknowledgements WHERE notification_id IN (SELECT id FROM doomed)
       ), gone AS (
         DELETE FROM deliveries WHERE notification_id IN (SELECT id FROM doomed)
       ), feed AS (
         DELETE FROM feed_items WHERE id IN (SELECT id FROM doomed)
       )
       DELETE FROM notifications WHERE id IN (SELECT id FROM doomed)`,
      [o.before.getTime(), o.limit],
    );
    return rowCount ?? 0;
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }

  private async loadMigrations(): Promise<Migration[]> {
    this.migrations ??= await loadMigrations(MIGRATIONS_DIR);
    return this.migrations;
  }
}
