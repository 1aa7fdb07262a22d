import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "./sqlite-driver.js";
import { describe, expect, it } from "vitest";
import { GroupCommit } from "./group-commit.js";

function open() {
  const file = join(mkdtempSync(join(tmpdir(), "gnb-gc-")), "t.db");
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  return { db, file, reader: () => new Database(file, { readonly: true }) };
}

describe("GroupCommit", () => {
  it("commits the writes of one turn together and settles them only after the commit", async () => {
    const { db, reader } = open();
    const gc = new GroupCommit(db);
    const seenAtResolve: number[] = [];
    const check = reader();
    const writes = [1, 2, 3].map((i) =>
      gc.submit(() => db.prepare("INSERT INTO t (id, v) VALUES (?, 'x')").run(i)).then(() => {
        seenAtResolve.push((check.prepare("SELECT COUNT(*) AS n FROM t").get() as { n: number }).n);
      }),
    );
    expect((check.prepare("SELECT COUNT(*) AS n FROM t").get() as { n: number }).n).toBe(0); // nothing before the turn ends
    await Promise.all(writes);
    expect(seenAtResolve).toEqual([3, 3, 3]); // every caller hears "done" only once all three are durable
  });

  it("with a commit delay, a write of a later turn shares the first one's commit; without, it gets its own", async () => {
    const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
    for (const [commitDelayMs, countAtFirstResolve] of [[20, 2], [0, 1]] as const) {
      const { db, reader } = open();
      const gc = new GroupCommit(db, { commitDelayMs });
      const check = reader();
      let seen = -1;
      const first = gc.submit(() => db.prepare("INSERT INTO t (id, v) VALUES (1, 'x')").run()).then(() => {
        seen = (check.prepare("SELECT COUNT(*) AS n FROM t").get() as { n: number }).n;
      });
      await nextTurn();
      const second = gc.submit(() => db.prepare("INSERT INTO t (id, v) VALUES (2, 'y')").run());
      await Promise.all([first, second]);
      expect(seen, `commitDelayMs ${commitDelayMs}`).toBe(countAtFirstResolve);
    }
  });

  it("rolls back only the write that failed", async () => {
    const { db } = open();
    const gc = new GroupCommit(db);
    const results = await Promise.allSettled([
      gc.submit(() => db.prepare("INSERT INTO t (id, v) VALUES (1, 'a')").run()),
      gc.submit(() => {
        db.prepare("INSERT INTO t (id, v) VALUES (2, 'b')").run();
        throw new Error("this one fails after writing");
      }),
      gc.submit(() => db.prepare("INSERT INTO t (id, v) VALUES (3, 'c')").run()),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(db.prepare("SELECT id FROM t ORDER BY id").all()).toEqual([{ id: 1 }, { id: 3 }]);
  });

  it("a single-statement write without a savepoint: a failing statement undoes itself alone, the others commit", async () => {
    const { db } = open();
    db.prepare("INSERT INTO t (id, v) VALUES (1, 'a')").run();
    const gc = new GroupCommit(db);
    const results = await Promise.allSettled([
      gc.submitStatement(() => db.prepare("UPDATE t SET v = 'b' WHERE id = 1").run().changes),
      gc.submitStatement(() => db.prepare("INSERT INTO t (id, v) VALUES (1, 'duplicate')").run()),
      gc.submitStatement(() => db.prepare("INSERT INTO t (id, v) VALUES (2, 'c')").run().changes),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(db.prepare("SELECT id, v FROM t ORDER BY id").all()).toEqual([{ id: 1, v: "b" }, { id: 2, v: "c" }]);
  });

  it("settles every write as it ended up in the database when an error rolls back the whole transaction", async () => {
    const { db } = open();
    const pages = (db.prepare("PRAGMA page_count").get() as { page_count: number }).page_count;
    db.pragma(`max_page_count = ${pages + 2}`); // room for small rows, not for a 64 KB one: SQLITE_FULL
    const gc = new GroupCommit(db);
    const insert = (id: number, size: number) => () => db.prepare("INSERT INTO t (id, v) VALUES (?, ?)").run(id, "x".repeat(size));
    const results = await Promise.allSettled([gc.submit(insert(1, 10)), gc.submit(insert(2, 10)), gc.submit(insert(3, 65_536)), gc.submit(insert(4, 10))]);
    const stored = (db.prepare("SELECT id FROM t ORDER BY id").all() as Array<{ id: number }>).map((r) => r.id);
    const resolved = results.flatMap((r, i) => (r.status === "fulfilled" ? [i + 1] : []));
    expect(results[2].status).toBe("rejected"); // the write that did not fit
    expect(stored).toEqual(resolved); // whatever SQLite undid with it: a write is reported done exactly when it is stored
    expect(stored).toContain(4); // a write after the failure is not lost with it
    expect(db.inTransaction).toBe(false);
  });

  it("commits what is queued when flushed before closing", async () => {
    const { db } = open();
    const gc = new GroupCommit(db);
    const p = gc.submit(() => db.prepare("INSERT INTO t (id, v) VALUES (9, 'z')").run());
    gc.flushNow();
    await p;
    expect(db.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 1 });
  });

  it("waits for another connection's write lock without blocking the event loop, then commits", async () => {
    const { db, file } = open();
    const other = new Database(file);
    other.prepare("BEGIN IMMEDIATE").run(); // the outbox thread, say, mid-transaction
    const gc = new GroupCommit(db);
    const order: string[] = [];
    const write = gc.submit(() => db.prepare("INSERT INTO t (id, v) VALUES (1, 'a')").run()).then(() => order.push("committed"));
    await new Promise((r) => setTimeout(r, 30));
    order.push("loop ran while waiting");
    other.prepare("COMMIT").run();
    await write;
    expect(order).toEqual(["loop ran while waiting", "committed"]);
    expect(db.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 1 });
  });

  it("fails the queued writes, writing nothing, when the lock stays taken past lockWaitMs", async () => {
    const { db, file } = open();
    const other = new Database(file);
    other.prepare("BEGIN IMMEDIATE").run();
    const gc = new GroupCommit(db, { lockWaitMs: 50 });
    await expect(gc.submit(() => db.prepare("INSERT INTO t (id, v) VALUES (1, 'a')").run())).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    other.prepare("ROLLBACK").run();
    expect(db.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 0 });
    await gc.submit(() => db.prepare("INSERT INTO t (id, v) VALUES (2, 'b')").run()); // and works again after
    expect(db.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 1 });
  });
});
