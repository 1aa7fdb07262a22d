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
    await first.acceptNotification(input, T0);
    await first.close();
    const second = await openStore(url);
    expect(await second.migrationsApplied()).toBe(true);
    expect((await second.getNotification(input.notification.id))?.deliveries).toHaveLength(1);
    await second.close();
  });
});
