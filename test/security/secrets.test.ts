import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, redactConfig } from "../../src/config.js";
import { USER_OID, delegatedClaims, makeSigningKey, mintToken } from "../auth/fake-entra.js";
import { aLegacyNotification } from "../support/test-app.js";
import { HOST, startSecuredBridge, type SecuredBridge } from "./bridge-fixture.js";
import { send, type RawAnswer, type RawRequest } from "./http-client.js";
import { runGraphWithWrongSecret } from "./graph-secret.js";

const SAS_KEY = Buffer.from("SecurityTestSasKey-do-not-log-0123456789").toString("base64");
const ADMIN_TOKEN = "admin-token-do-not-log-0123456789";
const SECRETS_ENV = { EMULATOR_ACCESS_KEY: SAS_KEY, ADMIN_TOKEN };
const HUB = "bridge"; // NOTIFICATION_HUB_NAME default

/** Everything a caller or an operator could read: response statuses, headers and bodies, and log lines. */
const seen: string[] = [];
const secrets = new Set<string>([SAS_KEY, ADMIN_TOKEN]);

/** Registers a bearer token as a secret: the whole token and its payload and signature parts. */
function secretToken(token: string): string {
  secrets.add(token);
  const [, payload, signature] = token.split(".");
  if (payload) secrets.add(payload);
  if (signature) secrets.add(signature);
  return token;
}

async function call(b: SecuredBridge, r: RawRequest): Promise<RawAnswer> {
  const a = await send(b.bridge.url, r);
  seen.push(`${a.status} ${JSON.stringify(a.headers)} ${a.text}`);
  return a;
}

const post = (b: SecuredBridge, token: string, path = "/beta/me/notifications") =>
  call(b, { path, headers: { Authorization: `Bearer ${token}`, "X-UNS-ID": "uns-alice", "Content-Type": "application/json" }, body: JSON.stringify(aLegacyNotification({ targetHostName: HOST })) });

async function setFaults(b: SecuredBridge, spec: object | undefined): Promise<void> {
  const url = `${b.bridge.emulatorUrl}/_emulator/api/hubs/${HUB}/faults`;
  const r = spec ? await fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(spec) }) : await fetch(url, { method: "DELETE" });
  expect(r.ok).toBe(true);
}

let outbox: SecuredBridge;
let direct: SecuredBridge;

beforeAll(async () => {
  [outbox, direct] = await Promise.all([startSecuredBridge(SECRETS_ENV), startSecuredBridge({ ...SECRETS_ENV, DELIVERY_MODE: "direct" })]);
  for (const b of [outbox, direct]) secrets.add(b.bridge.connectionString!);
});
afterAll(async () => {
  await outbox?.close();
  await direct?.close();
});

function expectNoSecretsIn(text: string): void {
  for (const s of secrets) expect(text.includes(s), `a secret (${s.slice(0, 12)}…) leaked`).toBe(false);
  expect(text).not.toMatch(/sig=(?!\[REDACTED\])[A-Za-z0-9%]/); // no SAS signature either
}

describe("secrets never reach logs or answers", () => {
  it("the outbox bridge: accepted and rejected tokens, admin token, ack token, NH failing under the worker", async () => {
    await setFaults(outbox, { serverError: { status: 500 } });
    const accepted = await post(outbox, secretToken(await outbox.tokenFor()));
    expect(accepted.status).toBe(201);
    const retry = await outbox.log.waitFor((l) => l.msg === "delivery attempt" && l.outcome === "retry");
    expect(String(retry.error)).toMatch(/500/);

    await setFaults(outbox, { throttle: { retryAfterSeconds: 7 } });
    expect((await post(outbox, secretToken(await outbox.tokenFor()))).status).toBe(201);
    await outbox.log.waitFor((l) => l.msg === "delivery attempt" && l.status === 429);

    const id = (JSON.parse(accepted.text) as { id: string }).id;
    const stored = await outbox.bridge.store!.getNotification(id);
    secrets.add(stored!.notification.ackToken);
    const status = await call(outbox, { method: "GET", path: `/beta/me/notifications/${id}`, headers: { Authorization: `Bearer ${secretToken(await outbox.tokenFor())}` } });
    expect(status.status).toBe(200);

    const impostor = secretToken(await mintToken(await makeSigningKey("key-1"), { now: new Date() }));
    expect((await post(outbox, impostor)).status).toBe(401);
    expect((await post(outbox, secretToken(await mintToken(outbox.key, { now: new Date(Date.now() - 7_200_000) })))).status).toBe(401);
    expect((await post(outbox, secretToken(`${(await outbox.tokenFor()).slice(0, -4)}AAAA`))).status).toBe(401);
    expect((await post(outbox, secretToken(await outbox.tokenFor()), `/beta/me/notifications?access_token=${secretToken(await outbox.tokenFor())}`)).status).toBe(201);

    expect((await post(outbox, secretToken(await mintToken(outbox.key, { now: new Date(), claims: delegatedClaims() })))).status).toBe(201);

    expect((await call(outbox, { method: "GET", path: "/bridge/deliveries", headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
    expect((await call(outbox, { method: "GET", path: "/bridge/deliveries", headers: { Authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}X` } })).status).toBe(401);
    secrets.add(`${ADMIN_TOKEN.slice(0, -1)}X`);
    expect((await call(outbox, { method: "GET", path: "/readyz" })).status).toBe(503); // NH throttling: not ready
    await setFaults(outbox, undefined);

    expect(outbox.log.raw.length).toBeGreaterThan(10);
    expectNoSecretsIn([...seen, ...outbox.log.raw].join("\n"));
    // Not secrets, but they point at people: no log line names the recipient (X-UNS-ID) or the delegated user (oid).
    expect(outbox.log.raw.join("\n")).not.toMatch(new RegExp(`uns-alice|${USER_OID}`));
  });

  it("the direct bridge: NH failing in the request path (502, 503 with Retry-After)", async () => {
    await setFaults(direct, { serverError: { status: 500 } });
    const failed = await post(direct, secretToken(await direct.tokenFor()));
    expect(failed.status).toBe(502);
    await setFaults(direct, { throttle: { retryAfterSeconds: 7 } });
    const throttled = await post(direct, secretToken(await direct.tokenFor()));
    expect(throttled.status).toBe(503);
    expect(throttled.headers["retry-after"]).toBe("7");
    await setFaults(direct, undefined);

    const errorLines = direct.log.raw.filter((l) => l.includes('"level":"error"'));
    expect(errorLines.length).toBeGreaterThan(0); // the failure was logged, with its cause chain
    expectNoSecretsIn([...seen, ...direct.log.raw].join("\n"));
  });

  it("the graph strategy: a refused client secret appears neither in the 503 nor in the log", async () => {
    const clientSecret = "client~secret.do-not-log_0123456789";
    secrets.add(clientSecret);
    const { answer, logLines, tokenRequests } = await runGraphWithWrongSecret(clientSecret);
    expect(tokenRequests).toBe(1); // MSAL did send the secret to the token endpoint, and failed
    expect(answer.status).toBe(503);
    expect(logLines.some((l) => l.includes("request failed"))).toBe(true);
    expectNoSecretsIn([`${JSON.stringify(answer.headers)} ${answer.text}`, ...logLines].join("\n"));
  });

  it("the start-up config line (as main.ts writes it) masks every secret setting", async () => {
    const config = loadConfig({ ...SECRETS_ENV, GRAPH_CLIENT_SECRET: "client~secret.do-not-log_0123456789", NOTIFICATIONHUBS_CONNECTION_STRING: outbox.bridge.connectionString, DATABASE_URL: "postgres://gnb:db-password-do-not-log@db:5432/gnb" });
    secrets.add("db-password-do-not-log");
    outbox.bridge.logger.info({ config: redactConfig(config) }, "bridge listening");
    const line = await outbox.log.waitFor((l) => l.msg === "bridge listening");
    expect((line.config as Record<string, unknown>).ADMIN_TOKEN).toMatch(/^(\*\*\*|\[REDACTED\])$/);
    expectNoSecretsIn(outbox.log.raw.join("\n"));
  });
});
