import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface Child {
  pid: number;
  proc: ChildProcess;
  /** Everything the child wrote, for error messages. */
  output(): string;
  /** Resolves with the first stdout line starting with `prefix` (rest of the line). */
  line(prefix: string, timeoutMs: number): Promise<string>;
  /** SIGTERM, then SIGKILL after graceMs; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Runs an entry point as `node [nodeArgs] --import tsx <entry>` (plain `node` for a .js entry) with `env` added. */
export function spawnTs(entry: string, env: Record<string, string>, nodeArgs: string[] = []): Child {
  const loader = entry.endsWith(".js") ? [] : ["--import", "tsx"];
  const proc = spawn(process.execPath, [...nodeArgs, ...loader, entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const waiters: Array<{ prefix: string; resolve: (rest: string) => void }> = [];
  proc.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    for (const w of [...waiters]) {
      const hit = out.split("\n").find((l) => l.startsWith(w.prefix));
      if (hit !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(hit.slice(w.prefix.length).trim());
      }
    }
  });
  proc.stderr!.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  if (proc.pid === undefined) throw new Error(`could not start ${entry}`);
  return {
    pid: proc.pid,
    proc,
    output: () => out,
    line: (prefix, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${entry}: no '${prefix}' line within ${timeoutMs} ms\n${out}`)), timeoutMs);
        const done = (rest: string) => (clearTimeout(timer), resolve(rest));
        waiters.push({ prefix, resolve: done });
        exited.then(() => reject(new Error(`${entry} exited (code ${proc.exitCode}) before '${prefix}'\n${out.slice(-4000)}`)));
      }),
    async stop(graceMs = 5000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A free loopback port (the bridge needs its PORT up front). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200 (bounded). */
export async function waitForHttp(url: string, timeoutMs: number, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.proc.exitCode !== null) throw new Error(`child exited (code ${child.proc.exitCode})\n${child.output().slice(-4000)}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms\n${child?.output().slice(-4000) ?? ""}`);
}
