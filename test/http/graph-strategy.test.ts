import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGraphStrategy } from "../../src/delivery/graph/graph-strategy.js";
import { createGraphTokenProvider } from "../../src/delivery/graph/graph-token.js";
import { startFakeEntra, type FakeEntra } from "../support/fake-entra.js";
import { startFakeGraph, type GraphCall } from "../support/fake-graph.js";
import { RECORDED_RAW, testApp } from "../support/test-app.js";

const TENANT = "11111111-2222-3333-4444-555555555555";
const CLIENT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

describe("graph strategy: forwards to Graph and relays its answer", () => {
  let entra: FakeEntra;
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  let answerWith: (c: GraphCall) => { status: number; body: unknown; headers?: Record<string, string> };

  beforeAll(async () => {
    entra = await startFakeEntra({ tenantId: TENANT, clientId: CLIENT, clientSecret: "s3cret" });
    graph = await startFakeGraph((c) => answerWith(c));
  });
  afterAll(async () => {
    await entra.close();
    await graph.close();
  });

  const appWith = (auth: "app" | "passthrough", secret = "s3cret") =>
    testApp({
      strategy: createGraphStrategy({
        baseUrl: graph.url,
        timeoutMs: 5000,
        auth: auth === "app"
          ? { kind: "app", token: createGraphTokenProvider({ tenantId: TENANT, clientId: CLIENT, clientSecret: secret, authorityHost: "https://login.microsoftonline.com", networkClient: entra.networkClient }) }
          : { kind: "passthrough" },
      }),
    });

  it("posts the legacy body with an app token and X-UNS-ID, and relays Graph's 201 unchanged", async () => {
    const graphBody = { "@odata.context": "https://graph.microsoft.com/beta/$metadata#users('u')/notifications/$entity", id: "f3b3d3c6-0000-4000-8000-000000000001", payload: {} };
    answerWith = () => ({ status: 201, body: graphBody, headers: { Location: "https://graph.microsoft.com/beta/me/activities/f3b3" } });
    const app = appWith("app");
    const res = await request(app).post("/beta/me/notifications").set("X-UNS-ID", "uns-123").set("client-request-id", "caller-crid").send(RECORDED_RAW);
    expect(res.status).toBe(201);
    expect(res.body).toEqual(graphBody);
    expect(res.headers.location).toBe("https://graph.microsoft.com/beta/me/activities/f3b3");
    const call = graph.calls.at(-1)!;
    expect(call.path).toBe("/beta/me/notifications");
    expect(call.headers.authorization).toBe("Bearer graph-app-token-1");
    expect(call.headers["x-uns-id"]).toBe("uns-123");
    expect(call.headers["client-request-id"]).toBe("caller-crid");
    expect(JSON.parse(call.body)).toEqual(RECORDED_RAW);
    const form = entra.tokenRequests[0];
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("scope")).toContain("https://graph.microsoft.com/.default");
  });

  it("relays Graph's request-id header", async () => {
    answerWith = () => ({ status: 201, body: { id: "x" }, headers: { "request-id": "graph-request-id-1" } });
    const res = await request(appWith("app")).post("/beta/me/notifications").set("X-UNS-ID", "u").send(RECORDED_RAW);
    expect(res.headers["request-id"]).toBe("graph-request-id-1");
  });

  it("caches the app token across requests", async () => {
    answerWith = () => ({ status: 201, body: { id: "x" } });
    const app = appWith("app");
    const before = entra.tokenRequests.length;
    await request(app).post("/beta/me/notifications").set("X-UNS-ID", "u").send(RECORDED_RAW);
    await request(app).post("/beta/me/notifications").set("X-UNS-ID", "u").send(RECORDED_RAW);
    expect(entra.tokenRequests.length - before).toBe(1);
  });

  it("relays Graph's errors byte for byte, status included", async () => {
    const err = '{"error":{"code":"Forbidden","message":"Caller is not allowed.","innerError":{"date":"2019-10-25T12:00:00","request-id":"r","client-request-id":"c"}}}';
    answerWith = () => ({ status: 403, body: err });
    const res = await request(appWith("app")).post("/beta/me/notifications").set("X-UNS-ID", "u").send(RECORDED_RAW);
    expect(res.status).toBe(403);
    expect(res.text).toBe(err);
  });

  it("forwards the caller's own token with GRAPH_AUTH=passthrough", async () => {
    answerWith = () => ({ status: 201, body: { id: "y" } });
    const res = await request(appWith("passthrough")).post("/beta/me/notifications").set("Authorization", "Bearer callers-token").set("X-UNS-ID", "u").send(RECORDED_RAW);
    expect(res.status).toBe(201);
    expect(graph.calls.at(-1)!.headers.authorization).toBe("Bearer callers-token");
  });

  it("answers 401 in passthrough mode when the caller sent no token", async () => {
    const before = graph.calls.length;
    const res = await request(appWith("passthrough")).post("/beta/me/notifications").set("X-UNS-ID", "u").send(RECORDED_RAW);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe("InvalidAuthenticationToken");
    expect(graph.calls.length).toBe(before);
  });

  it("answers a Graph-shaped 503 when Entra refuses the client secret, sending nothing to Graph", async () => {
    const before = graph.calls.length;
    const res = await request(appWith("app", "wrong")).post("/beta/me/notifications").set("X-UNS-ID", "u").send(RECORDED_RAW);
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain("GRAPH_CLIENT_ID");
    expect(res.text).not.toContain("wrong");
    expect(graph.calls.length).toBe(before);
  });

  it("validates before forwarding: an invalid body never reaches Graph", async () => {
    const before = graph.calls.length;
    const res = await request(appWith("app")).post("/beta/me/notifications").set("X-UNS-ID", "u").send({ payload: {} });
    expect(res.status).toBe(400);
    expect(graph.calls.length).toBe(before);
  });
});

describe("graph strategy with a certificate credential", () => {
  it("gets its app token with a signed client assertion instead of a secret", async () => {
    const { generateKeyPairSync, createHash } = await import("node:crypto");
    const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const entra = await startFakeEntra({ tenantId: TENANT, clientId: CLIENT, clientSecret: "unused", certificatePublicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString() });
    const graph = await startFakeGraph(() => ({ status: 201, body: { id: "z" } }));
    try {
      const token = createGraphTokenProvider({
        tenantId: TENANT, clientId: CLIENT, authorityHost: "https://login.microsoftonline.com", networkClient: entra.networkClient,
        certificate: { privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), thumbprintSha256: createHash("sha256").update("cert").digest("hex") },
      });
      const app = testApp({ strategy: createGraphStrategy({ baseUrl: graph.url, timeoutMs: 5000, auth: { kind: "app", token } }) });
      const res = await request(app).post("/beta/me/notifications").set("X-UNS-ID", "u").send(RECORDED_RAW);
      expect(res.status).toBe(201);
      expect(entra.tokenRequests[0].get("client_assertion")).toEqual(expect.any(String));
      expect(entra.tokenRequests[0].get("client_secret")).toBeNull();
      expect(graph.calls[0].headers.authorization).toBe("Bearer graph-app-token-1");
    } finally {
      await graph.close();
      await entra.close();
    }
  });
});
