import { mkdtempSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../src/bridge.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/observability/logger.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A raw TCP connection to the bridge, so the test sees exactly what the server does with it. */
async function open(url: string): Promise<{ socket: Socket; get(): Promise<string>; closedByServer: Promise<number> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let buffered = "";
  let waiter: ((answer: string) => void) | undefined;
  socket.setEncoding("utf8").on("data", (chunk: string) => {
    buffered += chunk;
    const end = buffered.indexOf("\r\n\r\n");
    const length = Number(/content-length: (\d+)/i.exec(buffered)?.[1] ?? NaN);
    if (end >= 0 && buffered.length >= end + 4 + length && waiter) {
      const answer = buffered.slice(0, end + 4 + length);
      buffered = buffered.slice(answer.length);
      waiter(answer);
      waiter = undefined;
    }
  });
  const closedByServer = new Promise<number>((resolve) => socket.once("end", () => resolve(Date.now())));
  return {
    socket,
    closedByServer,
    get: () => new Promise<string>((resolve) => {
      waiter = resolve;
      socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`);
    }),
  };
}

const quietLogger = () => createLogger({ level: "silent", destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const sqliteUrl = () => `sqlite:${join(mkdtempSync(join(tmpdir(), "gnb-keepalive-")), "b.db")}`;

describe("connection timeouts: KEEP_ALIVE_TIMEOUT_MS and HEADERS_TIMEOUT_MS", () => {
  let bridge: RunningBridge;

  beforeAll(async () => {
    const config = loadConfig({ PORT: "0", EMULATOR_PORT: "0", KEEP_ALIVE_TIMEOUT_MS: "2500", HEADERS_TIMEOUT_MS: "1000", DATABASE_URL: sqliteUrl() });
    bridge = await startBridge(config, { logger: quietLogger() });
  });
  afterAll(async () => {
    await bridge?.shutdown();
  });

  it("announces the keep-alive timeout and answers again on the same connection after a pause", async () => {
    const c = await open(bridge.url);
    try {
      const first = await c.get();
      expect(first).toMatch(/^HTTP\/1\.1 200/);
      expect(first).toMatch(/\r\nKeep-Alive: timeout=2\r\n/i);
      await sleep(1500);
      expect(await c.get()).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      c.socket.destroy();
    }
  });

  it("closes a connection idle past the timeout (Node adds one second), well before its default 5 s + 1 s", async () => {
    const c = await open(bridge.url);
    try {
      await c.get();
      const idleSince = Date.now();
      const idleMs = (await c.closedByServer) - idleSince;
      expect(idleMs).toBeGreaterThanOrEqual(3300);
      expect(idleMs).toBeLessThan(5800); // Node's default would close at 6 s or later
    } finally {
      c.socket.destroy();
    }
  });

  it("answers 408 and closes when the headers do not arrive within HEADERS_TIMEOUT_MS", async () => {
    const c = await open(bridge.url);
    try {
      const sentAt = Date.now();
      c.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // and never the blank line
      const answer = await new Promise<string>((resolve) => {
        let text = "";
        c.socket.on("data", (chunk: string) => (text += chunk)).once("end", () => resolve(text));
      });
      const waitedMs = Date.now() - sentAt;
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(waitedMs).toBeGreaterThanOrEqual(900);
      expect(waitedMs).toBeLessThan(3000); // checked on a 1 s sweep, not Node's default 30 s
    } finally {
      c.socket.destroy();
    }
  });
});

describe("graceful shutdown with a long KEEP_ALIVE_TIMEOUT_MS", () => {
  it("does not wait for the keep-alive timeout of a connection whose request was under way at the signal", async () => {
    const bridge = await startBridge(
      loadConfig({ PORT: "0", EMULATOR_PORT: "0", KEEP_ALIVE_TIMEOUT_MS: "20000", DATABASE_URL: sqliteUrl() }),
      { logger: quietLogger() },
    );
    const c = await open(bridge.url);
    try {
      const body = JSON.stringify({ targetHostName: "notify.contoso.com", appNotificationId: "a1", payload: { rawContent: "hello" } });
      const half = Math.floor(body.length / 2);
      const answered = new Promise<string>((resolve) => c.socket.on("data", (chunk: string) => resolve(chunk)));
      c.socket.write(`POST /beta/me/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-UNS-ID: ka-user\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`);
      await sleep(200); // the request has begun: Node has parsed its headers
      const signalledAt = Date.now();
      const shutdown = bridge.shutdown();
      await sleep(50);
      c.socket.write(body.slice(half)); // the caller finishes its request, then stays connected and quiet
      const answer = await answered;
      expect(answer).toMatch(/^HTTP\/1\.1 201/);
      expect(answer).toMatch(/\r\nConnection: keep-alive\r\n/i); // it began before the signal
      await c.closedByServer;
      await shutdown;
      expect(Date.now() - signalledAt).toBeLessThan(5000); // not the 20 s keep-alive
    } finally {
      c.socket.destroy();
      await bridge.shutdown();
    }
  });
});
