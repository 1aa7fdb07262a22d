import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "gnb-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SqliteStore durability (WAL, synchronous=NORMAL)", () => {
  it("keeps every acknowledged accept when the process is killed with SIGKILL", { timeout: 30_000 }, async () => {
    const file = join(dir, "crash.db");
    const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./fixtures/accept-forever.ts", import.meta.url))], {
      env: { ...process.env, DB_FILE: file },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const acknowledged: string[] = [];
    let buffered = "";
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (b: Buffer) => {
        buffered += b.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop()!;
        acknowledged.push(...lines);
        if (acknowledged.length >= 300) resolve();
      });
    });
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;

    const store = new SqliteStore(file);
    const missing: string[] = [];
    for (const id of acknowledged) if (!(await store.getNotification(id))) missing.push(id);
    await store.close();
    expect(missing).toEqual([]);
  });
});
