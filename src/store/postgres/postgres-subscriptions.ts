import DataLoader from "dataloader";
import type pg from "pg";
import {
  INSTALLATION_COLUMNS, INSTALLATION_UPDATES, installationValues, toInstallationRecord, toSubscriptionRecord,
} from "../subscription-records.js";
import type { InstallationRecord, PutInstallationResult, SubscriptionRecord, SubscriptionStore, UserKey } from "../subscription-store.js";
import { withTransaction } from "./postgres-transaction.js";

const INSERT_SUBSCRIPTION = `INSERT INTO subscriptions (id, kind, primary_id, tenant_id, user_object_id, target_host_name, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`;
const USER_SUBSCRIPTION = `SELECT * FROM subscriptions
  WHERE tenant_id = $1 AND user_object_id = $2 AND target_host_name = $3 AND kind = 'minted'`;
// xmax = 0 only on a freshly inserted row: tells a create from a replace in one round trip.
const UPSERT_INSTALLATION = `WITH before AS (SELECT * FROM installations WHERE id = $1)
  INSERT INTO installations (${INSTALLATION_COLUMNS.join(", ")})
  VALUES (${INSTALLATION_COLUMNS.map((_c, i) => `$${i + 1}`).join(", ")})
  ON CONFLICT (id) DO UPDATE SET ${INSTALLATION_UPDATES.map((c) => `${c} = excluded.${c}`).join(", ")}
  WHERE installations.tenant_id = excluded.tenant_id AND installations.user_object_id = excluded.user_object_id
  RETURNING installations.*, (SELECT row_to_json(before) FROM before) AS previous`;

/** The subscriptions role on PostgreSQL. */
export class PostgresSubscriptions implements SubscriptionStore {
  /**
   * Every legacy POST looks up its X-UNS-ID. The look-ups asked for in one pass of the event loop (every request its I/O phase read)
   * go as one query (`id = ANY($1)`): one round trip and one pool connection for a burst instead of
   * one per request, which queued behind the accept batches for connections. Nothing is cached:
   * each call reads what is committed when its batch runs.
   */
  private readonly byId = new DataLoader<string, SubscriptionRecord | undefined>(
    async (ids) => {
      const { rows } = await this.pool.query("SELECT * FROM subscriptions WHERE id = ANY($1::text[])", [ids]);
      const found = new Map(rows.map((r) => [String(r.id), toSubscriptionRecord(r)]));
      return ids.map((id) => found.get(id));
    },
    // Requests arrive in separate I/O callbacks: batch what one pass of the event loop brings.
    { cache: false, maxBatchSize: 500, batchScheduleFn: (run) => setImmediate(run) },
  );

  constructor(private readonly pool: pg.Pool) {}

  async ensureSubscription(o: UserKey & { targetHostName: string; newId: string }, now: Date) {
    const inserted = await this.pool.query(INSERT_SUBSCRIPTION, [o.newId, "minted", o.newId, o.tenantId, o.userObjectId, o.targetHostName, now.getTime()]);
    const { rows } = await this.pool.query(USER_SUBSCRIPTION, [o.tenantId, o.userObjectId, o.targetHostName]);
    return { subscription: toSubscriptionRecord(rows[0]), created: inserted.rowCount === 1 };
  }

  async claimLegacySubscription(o: UserKey & { id: string; targetHostName: string; primaryId: string }, now: Date) {
    return withTransaction(this.pool, async (c) => {
      const inserted = await c.query(INSERT_SUBSCRIPTION, [o.id, "legacy", o.primaryId, o.tenantId, o.userObjectId, o.targetHostName, now.getTime()]);
      const s = toSubscriptionRecord((await c.query("SELECT * FROM subscriptions WHERE id = $1", [o.id])).rows[0]);
      const same = s.tenantId === o.tenantId && s.userObjectId === o.userObjectId && s.targetHostName === o.targetHostName;
      return same ? { subscription: s, created: inserted.rowCount === 1 } : { conflict: true as const };
    });
  }

  async getSubscription(id: string): Promise<SubscriptionRecord | undefined> {
    // PostgreSQL's text cannot hold a NUL, so no row has one; nor may it fail the others' batch.
    return id.includes("\u0000") ? undefined : this.byId.load(id);
  }

  async findUserSubscription(o: UserKey & { targetHostName: string }): Promise<SubscriptionRecord | undefined> {
    const { rows } = await this.pool.query(USER_SUBSCRIPTION, [o.tenantId, o.userObjectId, o.targetHostName]);
    return rows[0] && toSubscriptionRecord(rows[0]);
  }

  async listUserSubscriptions(o: UserKey & { hosts?: string[]; limit: number; after?: string }): Promise<SubscriptionRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM subscriptions WHERE tenant_id = $1 AND user_object_id = $2 AND ($3::text[] IS NULL OR target_host_name = ANY($3::text[]))
         AND ($4::text IS NULL OR id > $4) ORDER BY id LIMIT $5`,
      [o.tenantId, o.userObjectId, o.hosts ?? null, o.after ?? null, o.limit],
    );
    return rows.map(toSubscriptionRecord);
  }

  async putInstallation(i: InstallationRecord): Promise<PutInstallationResult> {
    const { rows } = await this.pool.query(UPSERT_INSTALLATION, installationValues(i));
    if (rows.length === 0) return { outcome: "taken" };
    const installation = toInstallationRecord(rows[0]);
    const previous = rows[0].previous as Record<string, unknown> | null;
    return previous ? { outcome: "replaced", installation, previous: toInstallationRecord(previous) } : { outcome: "created", installation };
  }

  async getInstallation(id: string): Promise<InstallationRecord | undefined> {
    const { rows } = await this.pool.query("SELECT * FROM installations WHERE id = $1", [id]);
    return rows[0] && toInstallationRecord(rows[0]);
  }

  async listUserInstallations(o: UserKey & { targetHostName?: string; now: Date; limit: number; after?: string }): Promise<InstallationRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM installations WHERE tenant_id = $1 AND user_object_id = $2 AND ($3::text IS NULL OR target_host_name = $3)
         AND expires_at > $4 AND ($5::text IS NULL OR id > $5) ORDER BY id LIMIT $6`,
      [o.tenantId, o.userObjectId, o.targetHostName ?? null, o.now.getTime(), o.after ?? null, o.limit],
    );
    return rows.map(toInstallationRecord);
  }

  async listSubscriptionInstallations(subscriptionId: string, now?: Date): Promise<InstallationRecord[]> {
    const { rows } = await this.pool.query("SELECT * FROM installations WHERE subscription_id = $1 AND expires_at > $2 ORDER BY id", [subscriptionId, now?.getTime() ?? Number.MIN_SAFE_INTEGER]);
    return rows.map(toInstallationRecord);
  }

  async deleteInstallation(o: UserKey & { id: string }): Promise<InstallationRecord | undefined> {
    const { rows } = await this.pool.query("DELETE FROM installations WHERE id = $1 AND tenant_id = $2 AND user_object_id = $3 RETURNING *", [o.id, o.tenantId, o.userObjectId]);
    return rows[0] && toInstallationRecord(rows[0]);
  }
}
