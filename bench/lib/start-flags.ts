import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./children.js";

/**
 * The Node.js flags `npm start` gives the bridge (the tokens between `node` and the entry in
 * package.json's start script), so the bench runs the compiled bridge exactly as it is started.
 */
export function startScriptNodeFlags(entry: string): string[] {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const command = pkg.scripts.start.split("&&").map((s) => s.trim()).find((s) => s.startsWith("node ") && s.endsWith(entry));
  if (!command) throw new Error(`package.json's start script does not run 'node … ${entry}'`);
  return command.split(/\s+/).slice(1, -1);
}
