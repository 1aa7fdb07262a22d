import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { loadMigrations } from "./migrations.js";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function folderWith(files: string[]): Promise<URL> {
  dir = await mkdtemp(join(tmpdir(), "gnb-migrations-"));
  for (const f of files) await writeFile(join(dir, f), `-- ${f}\nSELECT 1;\n`);
  return pathToFileURL(`${dir}/`);
}

describe("loadMigrations", () => {
  it("reads NNNN_name.sql files in version order and ignores anything else", async () => {
    const loaded = await loadMigrations(await folderWith(["0002_b.sql", "0010_c.sql", "0001_a.sql", "README.md", "12_bad.sql"]));
    expect(loaded.map((m) => [m.version, m.name])).toEqual([[1, "0001_a"], [2, "0002_b"], [10, "0010_c"]]);
    expect(loaded[0].sql).toContain("SELECT 1;");
  });

  it("refuses two files with one number, which would leave one of them never applied", async () => {
    await expect(loadMigrations(await folderWith(["0001_a.sql", "0007_x.sql", "0007_y.sql"]))).rejects.toThrow(/share the number 0007/);
  });

  it("holds unique numbers in the bridge's own folders", async () => {
    for (const store of ["sqlite", "postgres"]) {
      const loaded = await loadMigrations(new URL(`./${store}/migrations/`, import.meta.url));
      expect(new Set(loaded.map((m) => m.version)).size).toBe(loaded.length);
      expect(loaded.length).toBeGreaterThanOrEqual(7);
    }
  });
});
