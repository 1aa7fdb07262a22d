import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { anAcceptInput, T0 } from "./fixtures.js";
import { describeStoreContract } from "./store.contract.js";

describeStoreContract("SqliteStore (:memory:)", async () => new SqliteStore(":memory:"));

const dir = mkdtempSync(join(tmpdir(), "gnb-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;
describeStoreContract("SqliteStore (file, WAL)", async () => new SqliteStore(join(dir, `t${++counter}.db`)));

describe("SqliteStore on disk", () => {
  it("keeps accepted notifications across close and reopen (via openStore, creating the directory)", async () => {
    const url = `sqlite:${join(dir, "nested", "deeper", "bridge.db")}`;
    const input = anAcceptInput();
    const first = await openStore(url);
    expect(first.backend).toBe("sqlite");
    await first.migrate();
    await first.acceptNotification({ ...input, now: T0 });
    await first.close();
    const second = await openStore(url);
    expect(await second.migrationsApplied()).toBe(true);
    expect((await second.getNotification(input.notification.id))?.deliveries).toHaveLength(1);
    await second.close();
  });
});

describe("SqliteStore query plans", () => {
  it("counts and lists dead letters, and counts the backlog, through partial indexes, never a table scan", async () => {
    const file = join(dir, "plans.db");
    const store = new SqliteStore(file);
    await store.migrate();
    await store.close();
    const Database = (await import("../../src/store/sqlite/sqlite-driver.js")).default;
    const db = new Database(file, { readonly: true });
    const plan = (sql: string, ...params: unknown[]) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join(" | ");
    expect(plan("SELECT COUNT(*) FROM deliveries WHERE state = 'dead-lettered'")).toMatch(/USING COVERING INDEX deliveries_dead_lettered/);
    expect(plan("SELECT COUNT(*) FROM deliveries WHERE state IN ('pending', 'retrying')")).toMatch(/USING (COVERING )?INDEX deliveries_claim/);
    expect(plan("SELECT * FROM deliveries d WHERE d.state = 'expired' AND (? IS NULL OR d.id > ?) ORDER BY d.id LIMIT 10", null, null)).toMatch(/INDEX deliveries_expired/);
    // The feed: one user's list and changes read that user's key range, never the whole table.
    const feedPlan = plan("SELECT * FROM feed_items f WHERE f.uns_id = 'u' AND f.target_host_name = 'h' AND +f.change_seq > 5 ORDER BY f.change_seq LIMIT 10");
    expect(feedPlan).toMatch(/SEARCH f USING PRIMARY KEY \(uns_id=\? AND target_host_name=\?\)/);
    expect(plan("SELECT * FROM feed_items f WHERE f.uns_id = 'u' AND f.target_host_name = 'h' ORDER BY f.created_at DESC, f.id DESC LIMIT 10")).toMatch(/SEARCH f USING PRIMARY KEY/);
    expect(plan("SELECT COALESCE(MAX(s.change_seq), 0) + 1 FROM feed_items s")).toMatch(/feed_items_changes/);
    db.close();
  });
});
