import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
// A wait, not a speed claim: a loaded machine can take long to start three processes.
const STARTUP_DEADLINE_MS = 45_000;

export interface BridgeProcess {
  url: string;
  child: ChildProcess;
  /** Every JSON log line parsed so far (non-JSON lines are kept as `{ text }`). */
  lines(): Array<Record<string, unknown>>;
  /** Resolves with the exit code and signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL if still running, then waits for the exit (for afterEach/afterAll). */
  kill(): Promise<void>;
}

/** A temp SQLite DATABASE_URL of its own, so tests never share a file. */
export function makeSqliteUrl(): string {
  return `sqlite:${join(mkdtempSync(join(tmpdir(), "gnb-process-")), "bridge.db")}`;
}

/** Settings every process test shares: ephemeral port, readable logs, no rate limit. */
export function baseBridgeEnv(connectionString: string, databaseUrl: string): Record<string, string> {
  return {
    PORT: "0",
    HOST: "127.0.0.1",
    NOTIFICATIONHUBS_CONNECTION_STRING: connectionString,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "info",
    RATE_LIMIT_PER_MINUTE: "0",
    OUTBOX_POLL_INTERVAL_MS: "25",
  };
}

/** The bridge's entry point as compiled for this run (test/support/bridge-build.ts). */
export function bridgeMain(): string {
  return join(inject("bridgeBuildDir"), "src", "main.js");
}

/**
 * Spawns the real entry point, compiled (`node <build>/src/main.js`, as `npm start` runs it), and resolves once its
 * 'bridge listening' log line names the URL. Rejects with the output if it exits first.
 */
export async function spawnBridge(env: Record<string, string>): Promise<BridgeProcess> {
  const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NOTIFICATIONHUBS_|DATABASE_URL|PORT$|OUTBOX_|SHUTDOWN_)/.test(k)));
  const child = spawn(process.execPath, [bridgeMain()], {
    cwd: ROOT,
    env: { ...cleanEnv, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const parsed: Array<Record<string, unknown>> = [];
  let pending = "";
  let stderr = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bridge did not listen within ${STARTUP_DEADLINE_MS} ms\n${stderr}`)), STARTUP_DEADLINE_MS);
    child.stdout!.on("data", (chunk: Buffer) => {
      pending += chunk.toString("utf8");
      const complete = pending.split("\n");
      pending = complete.pop() ?? "";
      for (const text of complete.filter(Boolean)) {
        const line = parseLine(text);
        parsed.push(line);
        if (line.msg === "bridge listening" && typeof line.url === "string") {
          clearTimeout(timer);
          resolve(line.url);
        }
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`bridge exited (code ${code}, signal ${signal}) before listening\n${stderr}`));
    });
  });
  try {
    return {
      url: await url,
      child,
      lines: () => parsed,
      exited,
      kill: async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        await exited;
      },
    };
  } catch (e) {
    if (child.exitCode === null) child.kill("SIGKILL");
    throw e;
  }
}

function parseLine(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : { text };
  } catch {
    return { text };
  }
}
