import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Store } from "./store.js";

/**
 * Opens (does not migrate) the store named by a database URL:
 * `sqlite:./data/bridge.db` (directory created), `sqlite::memory:`, `postgres://…` or `postgresql://…`.
 */
export interface OpenStoreOptions {
  /**
   * SQLite: false leaves WAL checkpoints to another connection (the outbox thread), so this one
   * never stalls on a checkpoint's writes and fsync. Default true.
   */
  walCheckpoints?: boolean;
  /** SQLite: how long a write waits for others to share its commit (SQLITE_COMMIT_DELAY_MS). Default 0. */
  commitDelayMs?: number;
  /**
   * The connection only claims deliveries and records their outcomes (the outbox thread, a
   * BRIDGE_ROLE=worker process). PostgreSQL then commits without waiting for the WAL flush: a
   * database crash can lose the last few claims and outcomes, and losing them only means those
   * deliveries are claimed and sent again (delivery is at least once). Accepts never run on it.
   */
  outboxOnly?: boolean;
}

export async function openStore(databaseUrl: string, o: OpenStoreOptions = {}): Promise<Store> {
  // Each backend's driver is loaded only when that backend is used.
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    const { PostgresStore } = await import("./postgres/postgres-store.js");
    return new PostgresStore({ connectionString: databaseUrl, synchronousCommit: o.outboxOnly ? false : undefined });
  }
  if (databaseUrl.startsWith("sqlite:")) {
    const { SqliteStore } = await import("./sqlite/sqlite-store.js");
    const path = databaseUrl.slice("sqlite:".length);
    if (path === ":memory:") return new SqliteStore(":memory:");
    if (path === "") throw new Error("DATABASE_URL 'sqlite:' needs a file path, e.g. sqlite:./data/bridge.db, or sqlite::memory:.");
    mkdirSync(dirname(path), { recursive: true });
    return new SqliteStore(path, { walCheckpoints: o.walCheckpoints, commitDelayMs: o.commitDelayMs });
  }
  throw new Error(
    `Unsupported DATABASE_URL '${redactUrl(databaseUrl)}': use sqlite:./data/bridge.db, sqlite::memory: or postgres://user@host:5432/db.`,
  );
}

/** Never echo a password found in a URL. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
