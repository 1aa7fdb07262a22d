import type BetterSqlite3 from "better-sqlite3";
import Database from "../../src/store/sqlite/sqlite-driver.js";

/**
 * Test files also open SQLite connections and prepare statements of their own. On Node.js 24 a
 * better-sqlite3 12 wrapper that V8 collects can abort the worker (src/store/sqlite/statement-cache.ts
 * says why; Node 24 now loads 13, src/store/sqlite/sqlite-driver.ts), so in the test workers every statement, and the connection it belongs to, stays
 * reachable until the worker exits. Set up once per worker (files share it: isolate is off).
 */
const KEPT = Symbol.for("gnb.test.keptSqliteHandles");
type Prepare = (this: BetterSqlite3.Database, ...args: unknown[]) => BetterSqlite3.Statement;
const proto = Database.prototype as unknown as { prepare: Prepare } & Record<symbol, unknown[] | undefined>;

if (!proto[KEPT]) {
  const kept: unknown[] = [];
  const prepare = proto.prepare;
  proto[KEPT] = kept;
  proto.prepare = function keptPrepare(...args) {
    const statement = prepare.apply(this, args);
    kept.push(statement, this);
    return statement;
  };
}
