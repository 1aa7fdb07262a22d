import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { startBridge } from "../../src/bridge.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/observability/logger.js";

/** Start-up failures name the setting to fix (issue 12), on the real start-up path over loopback. */
describe("start-up failures name the setting to fix", () => {
  const silent = createLogger({ level: "silent", destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  // A real hub's connection string: nothing connects to it at start-up, so no emulator starts.
  const hub = { NOTIFICATIONHUBS_CONNECTION_STRING: "Endpoint=http://127.0.0.1:9/;SharedAccessKeyName=k;SharedAccessKey=a2V5", PORT: "0" };
  const start = (env: Record<string, string>) => startBridge(loadConfig(env), { logger: silent });
  const busy: Server[] = [];
  afterEach(async () => {
    await Promise.all(busy.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  });
  async function occupiedPort(): Promise<number> {
    const s = createServer();
    busy.push(s);
    await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
    return (s.address() as { port: number }).port;
  }
  // Port 9 (discard) is below the ephemeral range and nothing listens there: a port freed a moment
  // ago may already belong to another test's listen(0) on this machine.
  const closedPort = async (): Promise<number> => 9;

  it("an unreachable PostgreSQL server: DATABASE_URL, where, why and what to check, with the password masked", async () => {
    const port = await closedPort();
    const failure = start({ ...hub, DATABASE_URL: `postgres://bridge:s3cret@127.0.0.1:${port}/bridge` });
    await expect(failure).rejects.toThrow(new RegExp(`^DATABASE_URL: cannot reach the database at postgres://bridge:\\[REDACTED\\]@127\\.0\\.0\\.1:${port}/bridge \\(.*ECONNREFUSED.*\\)\\. Check that the server is running`));
    await expect(failure).rejects.not.toThrow(/s3cret/);
  });

  it("a PostgreSQL host that never answers: DATABASE_URL after the connect timeout, not a hang", { timeout: 30_000 }, async () => {
    // Reads and never answers: to node-postgres that is a blackholed host, its connect timeout covering the
    // TCP handshake and the start-up exchange alike. A hang fails on this test's timeout; the afterEach's
    // close waits for the bridge to have closed its connection.
    const mute = createServer((socket) => socket.on("error", () => undefined).resume());
    busy.push(mute);
    await new Promise<void>((resolve) => mute.listen(0, "127.0.0.1", resolve));
    const port = (mute.address() as { port: number }).port;
    const failure = start({ ...hub, DATABASE_URL: `postgres://bridge:s3cret@127.0.0.1:${port}/bridge` });
    await expect(failure).rejects.toThrow(new RegExp(`^DATABASE_URL: cannot reach the database at postgres://bridge:\\[REDACTED\\]@127\\.0\\.0\\.1:${port}/bridge \\(.*timeout.*\\)\\. Check that the server is running`));
    await expect(failure).rejects.not.toThrow(/s3cret/);
  });

  it("a SQLite path that cannot be opened: DATABASE_URL", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "gnb-startup-")), "not-a-directory");
    writeFileSync(file, "");
    await expect(start({ ...hub, DATABASE_URL: `sqlite:${file}/bridge.db` })).rejects.toThrow(/^DATABASE_URL: cannot open the database at sqlite:.*not-a-directory\/bridge\.db \(.*\)\. Check DATABASE_URL/);
  });

  it("a busy PORT", async () => {
    const port = await occupiedPort();
    await expect(start({ ...hub, PORT: String(port), DATABASE_URL: "sqlite::memory:" }))
      .rejects.toThrow(`PORT: the bridge cannot listen on 127.0.0.1:${port}: the port is already in use`);
  });

  it("a busy EMULATOR_PORT on the embedded default", async () => {
    const port = await occupiedPort();
    await expect(start({ PORT: "0", EMULATOR_PORT: String(port), DATABASE_URL: "sqlite::memory:" }))
      .rejects.toThrow(new RegExp(`^EMULATOR_PORT: the embedded Notification Hubs emulator cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use .*choose a free EMULATOR_PORT`));
  });
});
