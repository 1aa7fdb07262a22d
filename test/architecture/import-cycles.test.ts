import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");
// Static imports and re-exports (type-only ones too: a type cycle is still a tangle) and dynamic import().
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [path] : [];
  });
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const targets = [...readFileSync(file, "utf8").matchAll(IMPORT)].map((m) => resolve(dirname(file), m[1].replace(/\.js$/, ".ts")));
    graph.set(file, targets);
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the list of files on it. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "open");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "open") cycles.push(path.slice(path.indexOf(next)).map((f) => relative(SRC, f)));
      else if (!state.has(next) && graph.has(next)) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

describe("src/ imports", () => {
  it("resolve to files that exist", () => {
    const graph = importGraph();
    const missing = [...graph.values()].flat().filter((t) => !graph.has(t) && !t.endsWith(".json"));
    expect(missing.map((f) => relative(SRC, f))).toEqual([]);
  });

  it("form no cycle", () => {
    expect(findCycles(importGraph())).toEqual([]);
  });

  it("keep delivery below the outbox and the HTTP layer (they use it, never the other way round)", () => {
    const upward = [...importGraph()].flatMap(([file, targets]) => {
      const from = relative(SRC, file);
      if (!from.startsWith("delivery/")) return [];
      return targets.map((t) => relative(SRC, t)).filter((t) => /^(outbox|http)\//.test(t)).map((t) => `${from} -> ${t}`);
    });
    expect(upward).toEqual([]);
  });
});
