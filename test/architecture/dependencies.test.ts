import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
const BARE_IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)["']((?!\.|node:)[^"']+)["']/g;
// Packages src/ names only on a path the compiled service never takes.
const DEV_ONLY: Record<string, string> = { tsx: "threads/module-thread.ts" }; // its loader, only when running .ts sources

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** Package name → the src/ files importing it. */
function importedPackages(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles(join(ROOT, "src"))) {
    for (const [, spec] of readFileSync(file, "utf8").matchAll(BARE_IMPORT)) {
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      found.set(name, [...(found.get(name) ?? []), relative(join(ROOT, "src"), file)]);
    }
  }
  return found;
}

describe("package.json dependencies", () => {
  const imported = importedPackages();

  it("lists every package the service imports as a runtime dependency", () => {
    const missing = [...imported].filter(([name, files]) => !(name in pkg.dependencies) && !files.every((f) => DEV_ONLY[name] === f));
    expect(missing).toEqual([]);
  });

  it("lists nothing at run time that the service does not import (tsx included: npm start runs the build)", () => {
    expect(Object.keys(pkg.dependencies).filter((name) => !imported.has(name))).toEqual([]);
    expect(pkg.dependencies).not.toHaveProperty("tsx");
  });
});
