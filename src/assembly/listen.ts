import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import type { Config } from "../config.js";
import { expressMessageClasses } from "../http/express-messages.js";
import { namingSetting } from "../startup-failure.js";

/** How often Node checks REQUEST_TIMEOUT_MS and HEADERS_TIMEOUT_MS against open connections. */
const TIMEOUT_SWEEP_MS = 1000;
/** While draining, how often connections that went idle are closed. */
const IDLE_SWEEP_MS = 100;

export interface Listening {
  url: string;
  /** Stops accepting and resolves once every request under way has been answered. */
  drain(): Promise<void>;
}

/** Serves `app` on HOST:PORT with the configured limits; resolves once it listens. */
export async function listen(app: Express, c: Config): Promise<Listening> {
  const server: Server = createServer({
    ...expressMessageClasses(app),
    maxHeaderSize: c.MAX_HEADER_BYTES, requestTimeout: c.REQUEST_TIMEOUT_MS, headersTimeout: c.HEADERS_TIMEOUT_MS,
    // Node enforces the two timeouts above on a sweep of its connections, every 30 s by default:
    // a slow client would get up to 30 s more than configured.
    connectionsCheckingInterval: TIMEOUT_SWEEP_MS,
  }, app);
  server.keepAliveTimeout = c.KEEP_ALIVE_TIMEOUT_MS;
  await namingSetting("PORT", `${c.HOST}:${c.PORT}`, () => new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(c.PORT, c.HOST, resolve);
  }));
  const { port } = server.address() as AddressInfo;
  const host = c.HOST.includes(":") ? `[${c.HOST}]` : c.HOST;
  return { url: `http://${host}:${port}`, drain: drainOnce(server) };
}

function drainOnce(server: Server): () => Promise<void> {
  let draining: Promise<void> | undefined;
  // While draining, answer on busy keep-alive connections with `Connection: close`: a client that
  // keeps reusing its connection (load, a probe polling /readyz) would otherwise hold server.close() open.
  server.prependListener("request", (_req, res) => {
    if (draining) res.setHeader("Connection", "close");
  });
  return () =>
    (draining ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A response already under way when the signal came goes out with keep-alive; once it is
      // sent, its connection idles, and would hold server.close() open for KEEP_ALIVE_TIMEOUT_MS.
      // Close connections as they go idle, not only those idle at the signal.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      await closed.finally(() => clearInterval(sweep));
    })());
}
