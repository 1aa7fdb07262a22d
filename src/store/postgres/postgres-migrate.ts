import type pg from "pg";
import type { Migration } from "../migrations.js";
import { withClient } from "./postgres-transaction.js";

/**
 * Applies pending migrations under a session advisory lock, so two processes starting together
 * run them once: the second waits, then finds them recorded.
 */
export async function migratePostgres(pool: pg.Pool, migrations: Migration[], schema?: string): Promise<void> {
  await withClient(pool, async (client) => {
    await client.query("SELECT pg_advisory_lock(hashtextextended('graph-notifications-bridge:migrate:' || $1, 0))", [schema ?? ""]);
    try {
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
      const applied = new Set((await client.query("SELECT version FROM schema_migrations")).rows.map((r) => Number(r.version)));
      for (const m of migrations.filter((x) => !applied.has(x.version))) {
        await client.query("BEGIN");
        try {
          await client.query(m.sql);
          await client.query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)",
            [m.version, m.name],
          );
          await client.query("COMMIT");
        } catch (e) {
          await client.query("ROLLBACK");
          throw e;
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtextextended('graph-notifications-bridge:migrate:' || $1, 0))", [schema ?? ""]);
    }
  });
}
