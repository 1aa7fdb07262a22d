import { readdir } from "node:fs/promises";
import { afterAll, describe, expect, it } from "vitest";
import { PostgresStore } from "../../src/store/postgres/postgres-store.js";
import { openStore } from "../../src/store/open-store.js";
import { CLAIM_SETTINGS, claimQuery } from "../../src/store/postgres/postgres-claim.js";
import { dropSchema, isPostgresReachable, PG_URL, runAdminSql, uniqueSchemaName } from "./pg-test-db.js";
import { describeStoreContract } from "./store.contract.js";

const reachable = await isPostgresReachable();
const schemas: string[] = [];
afterAll(async () => {
  if (reachable) for (const s of schemas) await dropSchema(s);
});

function makeStore(): Promise<PostgresStore> {
  const schema = uniqueSchemaName();
  schemas.push(schema);
  return Promise.resolve(new PostgresStore({ connectionString: PG_URL, schema }));
}

describe.skipIf(!reachable)("PostgresStore", () => {
  describeStoreContract("PostgresStore (schema per test)", makeStore);

  it("applies migrations once when two stores migrate the same schema at the same time", async () => {
    const schema = uniqueSchemaName();
    schemas.push(schema);
    const stores = [0, 1, 2].map(() => new PostgresStore({ connectionString: PG_URL, schema }));
    try {
      await Promise.all(stores.map((s) => s.migrate()));
      const { rows } = await runAdminSql(`SELECT version FROM ${schema}.schema_migrations`);
      const files = (await readdir(new URL("../../src/store/postgres/migrations/", import.meta.url))).filter((f) => f.endsWith(".sql")).sort();
      expect(rows.map((r) => r.version)).toEqual(files.map((f) => Number(f.slice(0, 4)))); // each migration once, in order
      for (const s of stores) expect(await s.migrationsApplied()).toBe(true);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it("openStore opens a postgres:// URL", async () => {
    const store = await openStore(PG_URL);
    try {
      expect(store.backend).toBe("postgres");
      await store.ping();
    } finally {
      await store.close();
    }
  });

  it("commits without waiting for the WAL flush only on an outbox-only connection", async () => {
    const setting = async (store: unknown) =>
      ((await (store as { pool: { query(sql: string): Promise<{ rows: Array<{ synchronous_commit: string }> }> } }).pool.query("SHOW synchronous_commit")).rows[0].synchronous_commit);
    const outbox = await openStore(PG_URL, { outboxOnly: true });
    const accepting = await openStore(PG_URL);
    try {
      expect(await setting(outbox)).toBe("off");
      expect(await setting(accepting)).toBe("on");
    } finally {
      await Promise.all([outbox.close(), accepting.close()]);
    }
  });

  it("claims by walking deliveries_claim to its limit on a table never analysed (a fresh database)", async () => {
    const store = await makeStore();
    const schema = schemas[schemas.length - 1];
    try {
      await store.migrate();
      // No statistics yet (autovacuum kept off so none arrive): the planner guesses a few due rows.
      await runAdminSql(`SET search_path = ${schema}; ALTER TABLE deliveries SET (autovacuum_enabled = false);
        INSERT INTO notifications (id, uns_id, content_hash, body, response, ack_token, created_at, expires_at, state)
          VALUES ('n1', 'u', 'h', '{}', '{}', 't', 0, 9000000000000, 'live');
        INSERT INTO deliveries (id, notification_id, platform, purpose, send, state, next_attempt_at, created_at, updated_at)
          SELECT 'd' || g, 'n1', 'android', 'primary', repeat('x', 600), 'pending', 1000 + g, 0, 0 FROM generate_series(1, 5000) g`);
      const plan = async (settings: string) => {
        const results = (await runAdminSql(`SET search_path = ${schema}; ${settings} EXPLAIN (FORMAT JSON)
          ${claimQuery({ now: 1e12, limit: 128, owner: "w", leaseExpiresAt: 1e12 + 60000 })}`)) as unknown as Array<{ rows: Array<{ "QUERY PLAN": unknown }> }>;
        return JSON.stringify(results[results.length - 1].rows[0]["QUERY PLAN"]);
      };
      const claimPlan = await plan(`${CLAIM_SETTINGS};`);
      expect(claimPlan).toMatch(/"Node Type":"Index Scan"[^}]*"Index Name":"deliveries_claim"/);
      expect(claimPlan).not.toMatch(/Bitmap/);
      // What the setting holds off on these statistics: every due row read and sorted, per claim.
      expect(await plan("")).toMatch(/Bitmap Index Scan/);
    } finally {
      await store.close();
    }
  });

  it("rejects an unsafe schema name", () => {
    expect(() => new PostgresStore({ connectionString: PG_URL, schema: "x; DROP TABLE y" })).toThrow(/schema name/);
  });
});
