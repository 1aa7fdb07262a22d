import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";

describe("openStore", () => {
  it("opens an in-memory SQLite store", async () => {
    const store = await openStore("sqlite::memory:");
    expect(store.backend).toBe("sqlite");
    await store.migrate();
    expect(await store.migrationsApplied()).toBe(true);
    await store.close();
  });

  it.each(["mysql://u:hunter2@db/x", "sqlite:", "", "./bridge.db"])("rejects %j with advice", async (url) => {
    await expect(openStore(url)).rejects.toThrow(/sqlite/);
  });

  it("never echoes a password from the URL", async () => {
    await expect(openStore("mysql://user:hunter2@db/x")).rejects.toThrow(/user:\*\*\*@db/);
    await expect(openStore("mysql://user:hunter2@db/x")).rejects.not.toThrow(/hunter2/);
  });
});
