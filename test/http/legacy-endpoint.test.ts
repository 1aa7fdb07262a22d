import { deflateSync, gzipSync } from "node:zlib";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { recordingStrategy } from "../support/recording-strategy.js";
import { RECORDED_NOW, RECORDED_RAW, RECORDED_VISUAL, testApp } from "../support/test-app.js";

/** Sends Buffers as bytes (superagent would JSON-encode them under a JSON content type). */
const raw = (b: unknown) => b as string;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function setup() {
  const rec = recordingStrategy(() => RECORDED_NOW);
  return { app: testApp({ strategy: rec.strategy }), submitted: rec.submitted };
}

function expectGraphError(res: request.Response, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  expect(res.body.error.message).toEqual(expect.any(String));
  expect(res.body.error.innerError["request-id"]).toMatch(GUID);
  expect(res.body.error.innerError["client-request-id"]).toEqual(expect.any(String));
  expect(res.body.error.innerError.date).toEqual(expect.any(String));
  if (code) expect(res.body.error.code).toBe(code);
  expect(res.text).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
}

describe("POST /beta/me/notifications: Graph-faithful answers", () => {
  it("answers the recorded raw example with 201, Location on activities, ids and an empty payload", async () => {
    const { app } = setup();
    const res = await request(app).post("/beta/me/notifications").set("X-UNS-ID", "uns-1").set("client-request-id", "my-client-id").send(RECORDED_RAW);
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(GUID);
    expect(res.headers.location).toMatch(new RegExp(`/beta/me/activities/${res.body.id}$`));
    expect(res.headers["request-id"]).toMatch(GUID);
    expect(res.headers["client-request-id"]).toBe("my-client-id");
    expect(res.headers["content-type"]).toContain("odata.metadata=minimal");
    expect(res.body["@odata.context"]).toMatch(/\/beta\/\$metadata#users\('uns-1'\)\/notifications\/\$entity$/);
    expect(res.body.payload).toEqual({});
    expect(res.body.priority).toBe("High");
    expect(res.body.displayTimeToLive).toBe(60);
    expect(res.body.expirationDateTime).toBe("2019-11-01T12:00:00.000Z");
    expect(res.body.groupName).toBeNull();
  });

  it("echoes visual content for the recorded visual example", async () => {
    const { app } = setup();
    const res = await request(app).post("/beta/me/notifications/").set("X-UNS-ID", "uns-1").send(RECORDED_VISUAL);
    expect(res.status).toBe(201);
    expect(res.body.payload).toEqual({ visualContent: { title: "Hello World!", body: "Notifications are Great!" } });
    expect(res.body.groupName).toBe("TestGroup");
    expect(res.body.expirationDateTime).toBe("2019-10-30T23:59:00.000Z");
  });

  it("mints a client-request-id when the caller sent none", async () => {
    const res = await request(setup().app).post("/beta/me/notifications").set("X-UNS-ID", "u").send(RECORDED_RAW);
    expect(res.headers["client-request-id"]).toBe(res.headers["request-id"]);
  });

  it("accepts the {notification: ...} envelope", async () => {
    const { app, submitted } = setup();
    const res = await request(app).post("/beta/me/notifications").set("X-UNS-ID", "u").send({ notification: RECORDED_RAW });
    expect(res.status).toBe(201);
    expect(submitted[0].notification.rawContent).toBe("Hello World!");
  });

  it.each([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
  ])("accepts %s bodies", async (encoding, compress) => {
    const { app, submitted } = setup();
    const res = await request(app).post("/beta/me/notifications").set("X-UNS-ID", "u").set("Content-Type", "application/json").set("Content-Encoding", encoding).serialize(raw).send(compress(Buffer.from(JSON.stringify(RECORDED_RAW))));
    expect(res.status).toBe(201);
    expect(submitted).toHaveLength(1);
  });

  it("accepts a body sent without a JSON content type", async () => {
    const res = await request(setup().app).post("/beta/me/notifications").set("X-UNS-ID", "u").set("Content-Type", "text/plain").send(JSON.stringify(RECORDED_RAW));
    expect(res.status).toBe(201);
  });
});

describe("POST /beta/me/notifications: every invalid request class gets its status and sends nothing", () => {
  const cases: Array<[string, (r: request.Test) => request.Test, number, string?]> = [
    ["an array body", (r) => r.set("X-UNS-ID", "u").send([RECORDED_RAW]), 400, "BadRequest"],
    ["a body that does not match the contract", (r) => r.set("X-UNS-ID", "u").send({ targetHostName: "h", payload: {} }), 400, "BadRequest"],
    ["a missing visual title", (r) => r.set("X-UNS-ID", "u").send({ targetHostName: "h", payload: { visualContent: { body: "b" } } }), 400],
    ["malformed JSON", (r) => r.set("X-UNS-ID", "u").set("Content-Type", "application/json").send('{"targetHostName": '), 400],
    ["a JSON string instead of an object", (r) => r.set("X-UNS-ID", "u").set("Content-Type", "application/json").send('"hello"'), 400],
    ["an empty body", (r) => r.set("X-UNS-ID", "u"), 400],
    ["If-Modified-Since", (r) => r.set("X-UNS-ID", "u").set("If-Modified-Since", "Wed, 21 Oct 2015 07:28:00 GMT").send(RECORDED_RAW), 400],
    ["If-Range", (r) => r.set("X-UNS-ID", "u").set("If-Range", '"etag"').send(RECORDED_RAW), 400],
    ["a missing X-UNS-ID", (r) => r.send(RECORDED_RAW), 400],
    ["an unsupported Content-Encoding", (r) => r.set("X-UNS-ID", "u").set("Content-Encoding", "br").set("Content-Type", "application/json").serialize(raw).send(Buffer.from("{}")), 415, "UnsupportedMediaType"],
    ["a gzip header on a body that is not gzip", (r) => r.set("X-UNS-ID", "u").set("Content-Encoding", "gzip").set("Content-Type", "application/json").serialize(raw).send(Buffer.from("not gzip at all")), 400],
    ["a body too large", (r) => r.set("X-UNS-ID", "u").send({ ...RECORDED_RAW, payload: { rawContent: "x".repeat(70_000) } }), 413, "RequestEntityTooLarge"],
    ["a too-large gzip bomb", (r) => r.set("X-UNS-ID", "u").set("Content-Encoding", "gzip").set("Content-Type", "application/json").serialize(raw).send(gzipSync(Buffer.from(`{"a":"${"x".repeat(5_000_000)}"}`))), 413],
  ];

  it.each(cases)("%s", async (_name, build, status, code) => {
    const { app, submitted } = setup();
    const res = await build(request(app).post("/beta/me/notifications"));
    expectGraphError(res, status, code);
    expect(submitted).toHaveLength(0);
  });

  it("names the offending field in the message", async () => {
    const res = await request(setup().app).post("/beta/me/notifications").set("X-UNS-ID", "u").send({ targetHostName: "h", payload: { rawContent: "x" }, fallbackPolicy: { endpointFallback: { platformTypes: ["iOS"], fallbackDelayInSeconds: 30, visualContent: { title: "t" } } } });
    expect(res.body.error.message).toContain("fallbackPolicy.endpointFallback.fallbackDelayInSeconds");
  });

  it("says X-UNS-ID is missing", async () => {
    const res = await request(setup().app).post("/beta/me/notifications").send(RECORDED_RAW);
    expect(res.body.error.message).toContain("X-UNS-ID");
  });

  it.each(["GET", "PUT", "PATCH", "DELETE"])("answers %s on the collection with 405 and Allow", async (method) => {
    const res = await request(setup().app)[method.toLowerCase() as "get"]("/beta/me/notifications");
    expectGraphError(res, 405, "MethodNotAllowed");
    expect(res.headers.allow).toBe("POST");
  });

  it("answers unknown paths with a Graph-shaped 404", async () => {
    expectGraphError(await request(setup().app).get("/v1.0/me/whatever"), 404, "ResourceNotFound");
  });

  it("does not advertise Express", async () => {
    const res = await request(setup().app).get("/nope");
    expect(res.headers["x-powered-by"]).toBeUndefined();
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
  });

  it("turns an unexpected failure into a 500 without a stack trace", async () => {
    const app = testApp({ strategy: { name: "hubs", checkReady: async () => undefined, submit: async () => { throw new Error("boom at /secret/path.ts:12"); } } });
    const res = await request(app).post("/beta/me/notifications").set("X-UNS-ID", "u").send(RECORDED_RAW);
    expectGraphError(res, 500, "InternalServerError");
    expect(res.text).not.toContain("boom");
  });
});
