import type Database from "better-sqlite3";
import {
  INSTALLATION_COLUMNS, INSTALLATION_UPDATES, installationValues, toInstallationRecord, toSubscriptionRecord,
} from "../subscription-records.js";
import type { InstallationRecord, PutInstallationResult, SubscriptionRecord, SubscriptionStore, UserKey } from "../subscription-store.js";
import type { GroupCommit } from "./group-commit.js";
import { prepareCached } from "./statement-cache.js";

type Row = Record<string, unknown>;

const UPSERT_INSTALLATION = `INSERT INTO installations (${INSTALLATION_COLUMNS.join(", ")})
  VALUES (${INSTALLATION_COLUMNS.map(() => "?").join(", ")})
  ON CONFLICT (id) DO UPDATE SET ${INSTALLATION_UPDATES.map((c) => `${c} = excluded.${c}`).join(", ")}
  WHERE installations.tenant_id = excluded.tenant_id AND installations.user_object_id = excluded.user_object_id`;

/** The subscriptions role on SQLite; every write goes through the store's group commit. */
export class SqliteSubscriptions implements SubscriptionStore {
  constructor(private readonly db: Database.Database, private readonly writes: GroupCommit) {}

  async ensureSubscription(o: UserKey & { targetHostName: string; newId: string }, now: Date) {
    return this.writes.submit(() => {
      const inserted = prepareCached(this.db, `INSERT INTO subscriptions (id, kind, primary_id, tenant_id, user_object_id, target_host_name, created_at)
          VALUES (@id, 'minted', @id, @tenant, @user, @host, @now) ON CONFLICT DO NOTHING`)
        .run({ id: o.newId, tenant: o.tenantId, user: o.userObjectId, host: o.targetHostName, now: now.getTime() }).changes;
      const row = prepareCached(this.db, `SELECT * FROM subscriptions WHERE tenant_id = ? AND user_object_id = ? AND target_host_name = ? AND kind = 'minted'`)
        .get(o.tenantId, o.userObjectId, o.targetHostName) as Row;
      return { subscription: toSubscriptionRecord(row), created: inserted === 1 };
    });
  }

  async claimLegacySubscription(o: UserKey & { id: string; targetHostName: string; primaryId: string }, now: Date) {
    return this.writes.submit(() => {
      const inserted = prepareCached(this.db, `INSERT INTO subscriptions (id, kind, primary_id, tenant_id, user_object_id, target_host_name, created_at)
          VALUES (?, 'legacy', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`)
        .run(o.id, o.primaryId, o.tenantId, o.userObjectId, o.targetHostName, now.getTime()).changes;
      const s = toSubscriptionRecord(prepareCached(this.db, "SELECT * FROM subscriptions WHERE id = ?").get(o.id) as Row);
      const same = s.tenantId === o.tenantId && s.userObjectId === o.userObjectId && s.targetHostName === o.targetHostName;
      return same ? { subscription: s, created: inserted === 1 } : { conflict: true as const };
    });
  }

  async getSubscription(id: string): Promise<SubscriptionRecord | undefined> {
    const row = prepareCached(this.db, "SELECT * FROM subscriptions WHERE id = ?").get(id) as Row | undefined;
    return row && toSubscriptionRecord(row);
  }

  async findUserSubscription(o: UserKey & { targetHostName: string }): Promise<SubscriptionRecord | undefined> {
    const row = prepareCached(this.db, `SELECT * FROM subscriptions WHERE tenant_id = ? AND user_object_id = ? AND target_host_name = ? AND kind = 'minted'`)
      .get(o.tenantId, o.userObjectId, o.targetHostName) as Row | undefined;
    return row && toSubscriptionRecord(row);
  }

  async listUserSubscriptions(o: UserKey & { hosts?: string[]; limit: number; after?: string }): Promise<SubscriptionRecord[]> {
    const rows = prepareCached(this.db, `SELECT * FROM subscriptions WHERE tenant_id = @tenant AND user_object_id = @user
        AND (@hosts IS NULL OR target_host_name IN (SELECT value FROM json_each(@hosts))) AND (@after IS NULL OR id > @after)
        ORDER BY id LIMIT @limit`)
      .all({ tenant: o.tenantId, user: o.userObjectId, hosts: o.hosts ? JSON.stringify(o.hosts) : null, after: o.after ?? null, limit: o.limit }) as Row[];
    return rows.map(toSubscriptionRecord);
  }

  async putInstallation(i: InstallationRecord): Promise<PutInstallationResult> {
    return this.writes.submit((): PutInstallationResult => {
      const before = prepareCached(this.db, "SELECT * FROM installations WHERE id = ?").get(i.id) as Row | undefined;
      const changed = prepareCached(this.db, UPSERT_INSTALLATION).run(...installationValues(i)).changes;
      if (changed === 0) return { outcome: "taken" };
      const installation = toInstallationRecord(prepareCached(this.db, "SELECT * FROM installations WHERE id = ?").get(i.id) as Row);
      return before ? { outcome: "replaced", installation, previous: toInstallationRecord(before) } : { outcome: "created", installation };
    });
  }

  async getInstallation(id: string): Promise<InstallationRecord | undefined> {
    const row = prepareCached(this.db, "SELECT * FROM installations WHERE id = ?").get(id) as Row | undefined;
    return row && toInstallationRecord(row);
  }

  async listUserInstallations(o: UserKey & { targetHostName?: string; now: Date; limit: number; after?: string }): Promise<InstallationRecord[]> {
    const rows = prepareCached(this.db, `SELECT * FROM installations WHERE tenant_id = @tenant AND user_object_id = @user
        AND (@host IS NULL OR target_host_name = @host) AND expires_at > @now AND (@after IS NULL OR id > @after)
        ORDER BY id LIMIT @limit`)
      .all({ tenant: o.tenantId, user: o.userObjectId, host: o.targetHostName ?? null, now: o.now.getTime(), after: o.after ?? null, limit: o.limit }) as Row[];
    return rows.map(toInstallationRecord);
  }

  async listSubscriptionInstallations(subscriptionId: string, now?: Date): Promise<InstallationRecord[]> {
    const rows = prepareCached(this.db, "SELECT * FROM installations WHERE subscription_id = ? AND expires_at > ? ORDER BY id")
      .all(subscriptionId, now?.getTime() ?? Number.MIN_SAFE_INTEGER) as Row[];
    return rows.map(toInstallationRecord);
  }

  async deleteInstallation(o: UserKey & { id: string }): Promise<InstallationRecord | undefined> {
    return this.writes.submit(() => {
      const row = prepareCached(this.db, "DELETE FROM installations WHERE id = ? AND tenant_id = ? AND user_object_id = ? RETURNING *")
        .get(o.id, o.tenantId, o.userObjectId) as Row | undefined;
      return row && toInstallationRecord(row);
    });
  }
}
