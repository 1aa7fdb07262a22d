import { randomBytes } from "node:crypto";
import { isPostgresReachable, PG_URL, runAdminSql } from "../store/pg-test-db.js";

export { isPostgresReachable };

export interface TestDatabase {
  name: string;
  /** PG_URL with the database swapped for this one. */
  url: string;
  drop(): Promise<void>;
}

/** A whole database per test (the bridge takes a plain DATABASE_URL, so no per-schema option). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `gnb_t_${randomBytes(6).toString("hex")}`;
  await runAdminSql(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // FORCE: a bridge killed by a failed assertion may still hold connections.
    drop: async () => void (await runAdminSql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** The same database URL, reached through another host:port (a proxy the test controls). */
export function throughPort(databaseUrl: string, port: number): string {
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return url.toString();
}
