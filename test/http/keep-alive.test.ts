import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../src/bridge.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/observability/logger.js";
import { until } from "../support/until.js";

// No wall-clock windows here: what the server does with a connection is read off the server's own
// socket, reached through Node's documented HTTP diagnostics channels, and the only timings asserted
// are bounds a busy machine cannot break (a timer never fires early; a 1 s sweep is far below 30 s).

/** Node's `http.server.*` diagnostics messages: the server-side socket of each request. */
interface ServerEvent { socket: Socket; server: Server }

/** Records the server side of every request that starts and every response that finishes. */
function watchServer() {
  const started: ServerEvent[] = [];
  const finished: ServerEvent[] = [];
  const timedOut = new WeakSet<Socket>();
  const onStart = (m: unknown) => started.push(m as ServerEvent);
  const onFinish = (m: unknown) => {
    const e = m as ServerEvent;
    // Listening from the first response on, before Node arms the idle timer, so no 'timeout' is missed.
    if (!finished.some((f) => f.socket === e.socket)) e.socket.once("timeout", () => timedOut.add(e.socket));
    finished.push(e);
  };
  subscribe("http.server.request.start", onStart);
  subscribe("http.server.response.finish", onFinish);
  /** The server's end of the client connection `c`. */
  const serverSide = (events: ServerEvent[], c: Client) => events.filter((e) => e.socket.remotePort === c.localPort);
  return {
    started: (c: Client) => serverSide(started, c),
    finished: (c: Client) => serverSide(finished, c),
    /** Whether the server-side socket's own idle timer ran out. */
    timedOut: (s: Socket) => timedOut.has(s),
    stop: () => {
      unsubscribe("http.server.request.start", onStart);
      unsubscribe("http.server.response.finish", onFinish);
    },
  };
}

interface Client { socket: Socket; localPort: number; get(): Promise<string>; closedByServer: Promise<number> }

/** A raw TCP connection to the bridge, so the test sees exactly what the server does with it. */
async function open(url: string): Promise<Client> {
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
    localPort: socket.localPort!,
    closedByServer,
    get: () => new Promise<string>((resolve) => {
      waiter = resolve;
      socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`);
    }),
  };
}

const quietLogger = () => createLogger({ level: "silent", destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const sqliteUrl = () => `sqlite:${join(mkdtempSync(join(tmpdir(), "gnb-keepalive-")), "b.db")}`;

/** Node keeps an idle keep-alive socket this much longer than the timeout it announces. */
const NODE_KEEP_ALIVE_BUFFER_MS = 1000;
/** Node's own defaults, which the settings must replace. */
const NODE_DEFAULT_KEEP_ALIVE_MS = 5000;
const NODE_DEFAULT_SWEEP_MS = 30_000;

describe("connection timeouts: KEEP_ALIVE_TIMEOUT_MS and HEADERS_TIMEOUT_MS", () => {
  const KEEP_ALIVE_MS = 1000;
  const HEADERS_MS = 1000;
  let bridge: RunningBridge;
  let server: ReturnType<typeof watchServer>;

  beforeAll(async () => {
    server = watchServer();
    const config = loadConfig({ PORT: "0", EMULATOR_PORT: "0", KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS), HEADERS_TIMEOUT_MS: String(HEADERS_MS), DATABASE_URL: sqliteUrl() });
    bridge = await startBridge(config, { logger: quietLogger() });
  });
  afterAll(async () => {
    server?.stop();
    await bridge?.shutdown();
  });

  /** Resolves once the server has finished `n` responses on `c` and armed the idle timer of its socket. */
  const idleOnServer = (c: Client, n: number) =>
    until("the server to arm the keep-alive timer", () => {
      const done = server.finished(c);
      return done.length === n && done[n - 1].socket.timeout !== undefined ? done[n - 1].socket : undefined;
    });

  it("announces the keep-alive timeout and answers again on the same connection once it idles", async () => {
    const c = await open(bridge.url);
    try {
      const first = await c.get();
      expect(first).toMatch(/^HTTP\/1\.1 200/);
      expect(first).toMatch(/\r\nKeep-Alive: timeout=1\r\n/i);
      const idle = await idleOnServer(c, 1);
      expect(await c.get()).toMatch(/^HTTP\/1\.1 200/);
      // Served by the very socket that sat idle, not a new connection.
      expect((await idleOnServer(c, 2)) === idle).toBe(true);
    } finally {
      c.socket.destroy();
    }
  });

  it("closes a connection idle past the timeout (Node adds one second), not after Node's default 5 s + 1 s", async () => {
    const c = await open(bridge.url);
    try {
      await c.get();
      const idle = await idleOnServer(c, 1);
      expect(idle.timeout).toBe(KEEP_ALIVE_MS + NODE_KEEP_ALIVE_BUFFER_MS);
      expect(idle.timeout).toBeLessThan(NODE_DEFAULT_KEEP_ALIVE_MS + NODE_KEEP_ALIVE_BUFFER_MS);
      // The server itself closes it, because that idle timer ran out.
      await c.closedByServer;
      expect({ timedOut: server.timedOut(idle), destroyed: idle.destroyed }).toEqual({ timedOut: true, destroyed: true });
    } finally {
      c.socket.destroy();
    }
  });

  it("answers 408 and closes when the headers do not arrive within HEADERS_TIMEOUT_MS", { timeout: 40_000 }, async () => {
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
      // Node starts the clock at the first byte, which left after `sentAt`: never early (1 ms of clock rounding).
      expect(waitedMs).toBeGreaterThanOrEqual(HEADERS_MS - 1);
      // Checked on the bridge's 1 s sweep: Node's default sweep would not look before 30 s.
      expect(waitedMs).toBeLessThan(NODE_DEFAULT_SWEEP_MS / 2);
    } finally {
      c.socket.destroy();
    }
  });
});

describe("graceful shutdown with a long KEEP_ALIVE_TIMEOUT_MS", () => {
  it("does not wait for the keep-alive timeout of a connection whose request was under way at the signal", async () => {
    const KEEP_ALIVE_MS = 3_600_000; // an hour: waiting for it could never pass
    const server = watchServer();
    const bridge = await startBridge(
      loadConfig({ PORT: "0", EMULATOR_PORT: "0", KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS), DATABASE_URL: sqliteUrl() }),
      { logger: quietLogger() },
    );
    const c = await open(bridge.url);
    try {
      const body = JSON.stringify({ targetHostName: "notify.contoso.com", appNotificationId: "a1", payload: { rawContent: "hello" } });
      const half = Math.floor(body.length / 2);
      const answered = new Promise<string>((resolve) => c.socket.on("data", (chunk: string) => resolve(chunk)));
      c.socket.write(`POST /beta/me/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-UNS-ID: ka-user\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`);
      // The request has begun: Node has parsed its headers and handed it to the app.
      await until("the request to start on the server", () => (server.started(c).length === 1 ? true : undefined));
      const shutdown = bridge.shutdown();
      c.socket.write(body.slice(half)); // the caller finishes its request after the signal, then stays connected and quiet
      const answer = await answered;
      expect(answer).toMatch(/^HTTP\/1\.1 201/);
      expect(answer).toMatch(/\r\nConnection: keep-alive\r\n/i); // it began before the signal
      // The server closes the idle connection and finishes shutting down: the test's own timeout is
      // far below the hour-long keep-alive, so waiting for it would fail here.
      await c.closedByServer;
      await shutdown;
      expect(server.finished(c)).toHaveLength(1);
    } finally {
      server.stop();
      c.socket.destroy();
      await bridge.shutdown();
    }
  });
});
