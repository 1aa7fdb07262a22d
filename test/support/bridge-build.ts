import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The compiled bridge (`<dir>/src/main.js`) that process tests spawn. */
    bridgeBuildDir: string;
  }
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Vitest global setup: compiles src/ once per run, file by file as tsx would (esbuild, no bundling),
 * with its non-TypeScript files (migrations) beside it, under .tmp/. Tests that start the bridge as
 * a process run this output with plain `node`, as `npm start` does: a process start then costs about
 * a third of the CPU of loading the sources through tsx's loader, and the process tests start dozens.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  removeBuildsOfEndedRuns();
  const outdir = join(ROOT, ".tmp", `bridge-build-${process.pid}`);
  const files = readdirSync(join(ROOT, "src"), { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => join(f.parentPath, f.name));
  const sources = files.filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));
  await build({
    entryPoints: sources, outdir, outbase: ROOT, format: "esm", platform: "node", target: "node20",
    sourcemap: "inline", logLevel: "warning",
  });
  for (const asset of files.filter((f) => !f.endsWith(".ts"))) {
    const target = join(outdir, asset.slice(ROOT.length));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(asset, target);
  }
  project.provide("bridgeBuildDir", outdir);
  return () => rmSync(outdir, { recursive: true, force: true });
}

/** A run that was killed never removed its build: remove those whose process is gone. */
function removeBuildsOfEndedRuns(): void {
  if (!existsSync(join(ROOT, ".tmp"))) return;
  for (const name of readdirSync(join(ROOT, ".tmp"))) {
    const pid = Number(/^bridge-build-(\d+)$/.exec(name)?.[1]);
    if (pid && !isRunning(pid)) rmSync(join(ROOT, ".tmp", name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
