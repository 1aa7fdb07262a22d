import { readdir, readFile } from "node:fs/promises";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Numbered migrations `NNNN_name.sql` from a folder, in version order. */
export async function loadMigrations(dir: URL): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f)).sort();
  // Two files with one number: the second would be taken as applied and silently skipped.
  const clash = files.find((f, i) => i > 0 && f.slice(0, 4) === files[i - 1].slice(0, 4));
  if (clash) throw new Error(`Two migrations share the number ${clash.slice(0, 4)} in ${dir.pathname}: renumber one.`);
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, 4)),
      name: file.replace(/\.sql$/, ""),
      sql: await readFile(new URL(file, dir), "utf8"),
    })),
  );
}
