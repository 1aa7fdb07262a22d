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

describe("KEEP_ALIVE_TIMEOUT_MS: how long the bridge keeps an idle connection", () => {
  let bridge: RunningBridge;

  beforeAll(async () => {
    const config = loadConfig({
      PORT: "0", EMULATOR_PORT: "0", KEEP_ALIVE_TIMEOUT_MS: "2500", HEADERS_TIMEOUT_MS: "1000",
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), "gnb-keepalive-")), "b.db")}`,
    });
    bridge = await startBridge(config, { logger: createLogger({ level: "silent", destination: new Writable({ write: (_c, _e, cb) => cb() }) }) });
  });
  afterAll(async () => {
    await bridge?.shutdown();
  });

  it("announces the timeout, and answers on a connection idle longer than HEADERS_TIMEOUT_MS", async () => {
    const c = await open(bridge.url);
    try {
      const first = await c.get();
      expect(first).toMatch(/^HTTP\/1\.1 200/);
      expect(first).toMatch(/\r\nKeep-Alive: timeout=2\r\n/i);
      await sleep(1500); // idle past the 1 s header timeout: an idle connection is not a slow request
      expect(await c.get()).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      c.socket.destroy();
    }
  });

  it("closes a connection idle past the timeout, well before Node's default of 5 s", async () => {
    const c = await open(bridge.url);
    try {
      await c.get();
      const idleSince = Date.now();
      const idleMs = (await c.closedByServer) - idleSince;
      expect(idleMs).toBeGreaterThanOrEqual(2400);
      expect(idleMs).toBeLessThan(4800);
    } finally {
      c.socket.destroy();
    }
  });
});
