import { describe, expect, it } from "vitest";
import { createLogger, redactSecrets } from "../../src/observability/logger.js";
import { captureLines } from "./helpers.js";

const BEARER = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl";
const SAS_KEY = "q2Vz3tK0mPk+abc/def=";
const CONNECTION_STRING = `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Full;SharedAccessKey=${SAS_KEY}`;
const CLIENT_SECRET = "Xy8Q~client.secret-value";
const SECRETS = [
  BEARER,
  SAS_KEY,
  CLIENT_SECRET,
  "sas-signature-value",
  "ack-token-value",
  "cookie-value",
  "admin-token-value",
  "db-password-value",
];

function expectNoSecrets(raw: string[]): void {
  const all = raw.join("\n");
  for (const secret of SECRETS) expect(all).not.toContain(secret);
}

describe("createLogger", () => {
  it("writes one JSON line per call with level label, time, base fields and msg", () => {
    const out = captureLines();
    const logger = createLogger({ level: "info", destination: out, base: { service: "gnb" } });
    logger.info({ notificationId: "n1" }, "accepted");
    logger.debug("hidden below level");
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]).toMatchObject({ level: "info", service: "gnb", notificationId: "n1", msg: "accepted" });
    expect(typeof out.lines[0].time).toBe("string");
  });

  it("redacts authorization and cookie headers by path", () => {
    const out = captureLines();
    const logger = createLogger({ level: "info", destination: out });
    logger.info({ req: { headers: { authorization: `Bearer ${BEARER}`, cookie: "s=cookie-value" } } }, "in");
    logger.info({ headers: { Authorization: `Bearer ${BEARER}`, "set-cookie": "cookie-value" } }, "out");
    expectNoSecrets(out.raw);
    expect(out.lines[0].req).toEqual({ headers: { authorization: "[REDACTED]", cookie: "[REDACTED]" } });
  });

  it("redacts secret config keys at the top level and one object down", () => {
    const out = captureLines();
    const logger = createLogger({ level: "info", destination: out });
    const config = {
      GRAPH_CLIENT_SECRET: CLIENT_SECRET,
      NOTIFICATIONHUBS_CONNECTION_STRING: CONNECTION_STRING,
      ADMIN_TOKEN: "admin-token-value",
      DATABASE_URL: "postgres://bridge:db-password-value@db/gnb",
      LOG_LEVEL: "info",
    };
    logger.info({ config }, "config loaded");
    logger.info({ connectionString: CONNECTION_STRING, ackToken: "ack-token-value", delivery: { token: "x" } }, "x");
    logger.info({ outbox: { deliveries: [{ send: { AckToken: "ack-token-value" } }] } }, "deep and any case");
    expectNoSecrets(out.raw);
    expect(out.lines[0].config).toMatchObject({
      LOG_LEVEL: "info",
      GRAPH_CLIENT_SECRET: "[REDACTED]",
      DATABASE_URL: "postgres://bridge:[REDACTED]@db/gnb",
    });
  });

  it("masks secrets inside messages, free-text fields and error messages and stacks", () => {
    const out = captureLines();
    const logger = createLogger({ level: "info", destination: out });
    logger.warn(`token request failed: client_secret=${CLIENT_SECRET}&grant_type=client_credentials`);
    logger.info({ url: "https://ns.servicebus.windows.net/hub/messages?sig=sas-signature-value&se=1" }, "call");
    logger.error({ err: new Error(`cannot parse ${CONNECTION_STRING}`) }, "start-up failed");
    logger.error({ detail: [`Bearer ${BEARER}`] }, "upstream said");
    expectNoSecrets(out.raw);
    const err = out.lines[2].err as { message: string; stack: string; type: string };
    expect(err.type).toBe("Error");
    expect(err.message).toContain("SharedAccessKeyName=Full;SharedAccessKey=[REDACTED]");
    expect(err.stack).not.toContain(SAS_KEY);
  });

  it("re-exports redactSecrets for error messages built outside the logger", () => {
    expect(redactSecrets(`Bearer ${BEARER}`)).toBe("Bearer [REDACTED]");
  });
});
