import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Compiles src/ once for the tests that start the bridge as a process.
    globalSetup: ["test/support/bridge-build.ts"],
    // better-sqlite3 12 on Node.js 24: no connection or statement a test makes is garbage-collected.
    setupFiles: ["test/support/keep-sqlite-handles.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Vitest's default on a 2-core machine is one worker: every file would wait for the one before,
    // and most files spend their time waiting on sockets, child processes and threads, not on a core.
    maxWorkers: 2,
    // One process per worker for all its files: each file no longer pays for a new process and a
    // fresh import of Express, the Azure SDK and OpenTelemetry (about a second each). Test files
    // keep no global state between them: every server, store and thread they start, they close.
    isolate: false,
  },
});
