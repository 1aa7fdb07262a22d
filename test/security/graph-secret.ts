import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "../../src/app.js";
import { createGraphStrategy } from "../../src/delivery/graph/graph-strategy.js";
import { createGraphTokenProvider } from "../../src/delivery/graph/graph-token.js";
import { anonymous } from "../../src/http/authenticate.js";
import { createLogger } from "../../src/observability/logger.js";
import { createRequestLogMiddleware } from "../../src/observability/request-log.js";
import { startFakeEntra } from "../support/fake-entra.js";
import { RECORDED_RAW } from "../support/test-app.js";
import { captureLog } from "./bridge-fixture.js";
import { send, type RawAnswer } from "./http-client.js";

const TENANT = "11111111-1111-4111-8111-111111111111";
const CLIENT = "99999999-0000-4000-8000-000000000009";

/**
 * The graph strategy with GRAPH_AUTH=app whose client secret the (fake) Entra token endpoint
 * refuses, logged exactly as src/bridge.ts logs (request line, and 5xx errors with their cause).
 * MSAL cannot be pointed at plain http, so this builds the app rather than calling startBridge.
 */
export async function runGraphWithWrongSecret(clientSecret: string): Promise<{ answer: RawAnswer; logLines: string[]; tokenRequests: number }> {
  const entra = await startFakeEntra({ tenantId: TENANT, clientId: CLIENT, clientSecret: "the-right-secret" });
  const log = captureLog();
  const logger = createLogger({ level: "trace", destination: log });
  const strategy = createGraphStrategy({
    baseUrl: "http://127.0.0.1:9", // never reached: the token fails first
    timeoutMs: 2000,
    auth: { kind: "app", token: createGraphTokenProvider({ tenantId: TENANT, clientId: CLIENT, clientSecret, authorityHost: "https://login.microsoftonline.com", networkClient: entra.networkClient }) },
  });
  const app = createApp({
    strategy,
    authenticate: anonymous,
    authMode: "none",
    now: () => new Date(),
    limits: { maxBodyBytes: 65_536, rateLimitPerMinute: 0, rateLimitStatus: 429, maxUrlLength: 2048 },
    observe: [createRequestLogMiddleware({ logger, strategy: strategy.name })],
    onError: (e, raw) => {
      if (e.status >= 500) logger.error({ err: raw, code: e.code }, "request failed");
    },
  });
  const server = createServer(app).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  try {
    const answer = await send(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, {
      path: "/beta/me/notifications",
      headers: { "X-UNS-ID": "uns-alice", "Content-Type": "application/json" },
      body: JSON.stringify(RECORDED_RAW),
    });
    await log.waitFor((l) => l.msg === "request");
    return { answer, logLines: log.raw, tokenRequests: entra.tokenRequests.length };
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await entra.close();
  }
}
