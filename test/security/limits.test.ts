import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_ID } from "../auth/fake-entra.js";
import { recordingStrategy } from "../support/recording-strategy.js";
import { RECORDED_NOW, RECORDED_RAW, aLegacyNotification, testApp } from "../support/test-app.js";
import { APP_B, APP_C, HOST, startSecuredBridge, type SecuredBridge } from "./bridge-fixture.js";
import { expectGraphError, send, type RawRequest } from "./http-client.js";

const LIMITS = { RATE_LIMIT_PER_MINUTE: "3", MAX_URL_LENGTH: "256", MAX_HEADER_BYTES: "4096", MAX_BODY_BYTES: "2048" };
const NOTIFICATIONS = "/beta/me/notifications";

let throttling429: SecuredBridge;
let throttling406: SecuredBridge;

beforeAll(async () => {
  [throttling429, throttling406] = await Promise.all([
    startSecuredBridge(LIMITS),
    startSecuredBridge({ ...LIMITS, RATE_LIMIT_STATUS: "406" }),
  ]);
});
afterAll(async () => {
  await throttling429?.close();
  await throttling406?.close();
});

async function postAs(b: SecuredBridge, appId: string, extra: Partial<RawRequest> = {}) {
  return send(b.bridge.url, {
    path: NOTIFICATIONS,
    headers: { Authorization: `Bearer ${await b.tokenFor(appId)}`, "X-UNS-ID": "uns-alice", "Content-Type": "application/json", ...extra.headers },
    body: extra.body ?? JSON.stringify(aLegacyNotification({ targetHostName: HOST })),
    ...(extra.path ? { path: extra.path } : {}),
  });
}

describe("per-caller rate limit (RATE_LIMIT_PER_MINUTE=3)", () => {
  it("answers the 4th request of one app with a Graph-shaped 429 and Retry-After, and leaves other apps alone", async () => {
    for (let i = 0; i < 3; i += 1) expect((await postAs(throttling429, APP_ID)).status).toBe(201);
    const before = throttling429.countNotifications();
    const fourth = await postAs(throttling429, APP_ID);
    expectGraphError(fourth, 429, "TooManyRequests");
    const retryAfter = Number(fourth.headers["retry-after"]);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
    expect(throttling429.countNotifications()).toBe(before);

    expect((await postAs(throttling429, APP_B)).status).toBe(201);
    expect((await postAs(throttling429, APP_ID)).status).toBe(429);
  });

  it("answers 406 instead when RATE_LIMIT_STATUS=406, still with Retry-After", async () => {
    for (let i = 0; i < 3; i += 1) expect((await postAs(throttling406, APP_ID)).status).toBe(201);
    const fourth = await postAs(throttling406, APP_ID);
    expectGraphError(fourth, 406, "TooManyRequests");
    expect(Number(fourth.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect((await postAs(throttling406, APP_B)).status).toBe(201);
  });

  it("keeps Retry-After within the one-minute window when the app's clock is not the wall clock", async () => {
    // The limiter's windows run on the wall clock; the app's clock is injected (here: 2019).
    const app = testApp({ strategy: recordingStrategy(() => RECORDED_NOW).strategy, limits: { maxBodyBytes: 65_536, rateLimitPerMinute: 1, rateLimitStatus: 429, maxUrlLength: 2048 } });
    const server = createServer(app).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const request = { path: NOTIFICATIONS, headers: { "X-UNS-ID": "u", "Content-Type": "application/json" }, body: JSON.stringify(RECORDED_RAW) };
      expect((await send(url, request)).status).toBe(201);
      const throttled = await send(url, request);
      expectGraphError(throttled, 429, "TooManyRequests");
      expect(Number(throttled.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      expect(Number(throttled.headers["retry-after"])).toBeLessThanOrEqual(60);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("counts a rejected token against no app: a flood of bad tokens cannot throttle a real caller", async () => {
    for (let i = 0; i < 5; i += 1) {
      const a = await send(throttling406.bridge.url, { path: NOTIFICATIONS, headers: { Authorization: "Bearer x.y.z", "X-UNS-ID": "u" }, body: "{}" });
      expect(a.status).toBe(401);
    }
    expect((await postAs(throttling406, APP_C)).status).toBe(201);
  });
});

describe("size limits", () => {
  it("answers 414 to a URL longer than MAX_URL_LENGTH, before authentication", async () => {
    const a = await send(throttling429.bridge.url, { path: `${NOTIFICATIONS}?pad=${"a".repeat(300)}`, body: "{}" });
    expectGraphError(a, 414, "RequestUriTooLong");
  });

  it("answers 431 (from Node, before the app) to headers larger than MAX_HEADER_BYTES", async () => {
    const a = await send(throttling429.bridge.url, { path: NOTIFICATIONS, headers: { "X-Padding": "a".repeat(5000) }, body: "{}" });
    expect(a.status).toBe(431);
    expect(a.text).toBe(""); // Node's own answer: no body, connection closed
  });

  it("answers a Graph-shaped 413 to a body larger than MAX_BODY_BYTES", async () => {
    const big = JSON.stringify(aLegacyNotification({ targetHostName: HOST, payload: { rawContent: "x".repeat(3000) } }));
    const a = await postAs(throttling429, APP_C, { body: big });
    expect(expectGraphError(a, 413, "RequestEntityTooLarge").message).toMatch(/2048 bytes/);
  });

  it("answers 413 to a small gzip body that inflates past the limit (zip bomb)", async () => {
    const bomb = gzipSync(Buffer.from(JSON.stringify({ ...aLegacyNotification({ targetHostName: HOST }), pad: " ".repeat(1_000_000) })));
    expect(bomb.length).toBeLessThan(2048);
    const a = await postAs(throttling429, APP_C, { body: bomb, headers: { "Content-Encoding": "gzip" } });
    expectGraphError(a, 413, "RequestEntityTooLarge");
  });
});
