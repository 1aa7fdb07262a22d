import { randomBytes } from "node:crypto";
import pg from "pg";

/** The server the PostgreSQL suites use unless TEST_DATABASE_URL names another (the README says which). */
export const DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/test";
export const PG_URL = process.env.TEST_DATABASE_URL ?? DEFAULT_PG_URL;

/**
 * Whether the PostgreSQL suites can run. Under CI they must: an unreachable server fails the run
 * instead of skipping. Locally the caller skips with a visible message.
 */
export async function isPostgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  client.on("error", () => undefined); // as in runAdminSql: a failure reaches the catch below through connect or query
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch (e) {
    if (process.env.CI) throw new Error(`CI is set but PostgreSQL at ${PG_URL} is unreachable: ${String(e)}`);
    console.warn(`\n[postgres tests SKIPPED] PostgreSQL at ${PG_URL} is unreachable (${String(e)}). Set TEST_DATABASE_URL or start it.\n`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export const uniqueSchemaName = (): string => `t_${randomBytes(6).toString("hex")}`;

/** Runs one statement on a throwaway connection (schema set-up and clean-up). */
export async function runAdminSql(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: PG_URL });
  // node-postgres emits a socket error (ECONNRESET) on the client as well as failing the query under
  // way: unheard, it is an uncaught exception that vitest pins on whichever test file is running.
  // The query's own rejection still reports it; after the statement has completed, nothing is lost.
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

export const dropSchema = (schema: string): Promise<pg.QueryResult> => runAdminSql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
