import type Database from "better-sqlite3";

/**
 * Every connection and its statements, kept reachable until the thread exits. better-sqlite3 12's
 * wrappers are Node `ObjectWrap`s; on Node.js 24 the destructor of one that V8 collects aborts the
 * process ("Assertion failed: (env) != nullptr" in RemoveEnvironmentCleanupHook) when the collection
 * runs with no context entered. Kept, they are deleted only by Node's cleanup at thread exit, which is
 * safe. close() frees a connection's native resources; what stays is a small wrapper per statement.
 */
const connections = new Map<Database.Database, Map<string, Database.Statement>>();

/** Registers a connection opened by the store, so that it is never garbage-collected. */
export function keepConnection(db: Database.Database): Database.Database {
  if (!connections.has(db)) connections.set(db, new Map());
  return db;
}

/** Prepares each distinct SQL text once per connection: preparing costs more than most of our statements. */
export function prepareCached(db: Database.Database, sql: string): Database.Statement {
  let cache = connections.get(db);
  if (!cache) connections.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}
