import express from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/observability/logger.js";
import { createRequestLogMiddleware } from "../../src/observability/request-log.js";
import { captureLines, listen } from "./helpers.js";

const out = captureLines();
let clock = 1000;
let server: Awaited<ReturnType<typeof listen>>;

beforeAll(async () => {
  const app = express();
  app.use(createRequestLogMiddleware({ logger: createLogger({ level: "info", destination: out }), strategy: "hubs", now: () => clock }));
  app.use((req, res, next) => {
    if (req.path.startsWith("/plain")) {
      res.set("request-id", "hdr-5");
    } else {
      res.locals.requestId = "req-1";
      res.locals.callerAppId = "app-42";
    }
    next();
  });
  const beta = express.Router();
  beta.post("/me/notifications/:id", (_req, res) => {
    clock += 12.5;
    res.status(201).json({});
  });
  beta.get("/fails/:id", async () => {
    throw new Error("boom");
  });
  app.use("/beta", beta);
  app.use((_req: express.Request, res: express.Response) => {
    res.status(404).json({});
  });
  app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({});
  });
  server = await listen(app);
});
afterAll(() => server.close());

function linesFor(path: string): Array<Record<string, unknown>> {
  return out.lines.filter((l) => l.msg === "request" && l.path === path);
}

describe("createRequestLogMiddleware", () => {
  it("writes one info line with the request fields and the route pattern, not the raw URL", async () => {
    await request(server.url).post("/beta/me/notifications/abc?x=1").set("client-request-id", "c-7").expect(201);
    const lines = linesFor("/beta/me/notifications/abc");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      msg: "request",
      requestId: "req-1",
      clientRequestId: "c-7",
      caller: "app-42",
      strategy: "hubs",
      method: "POST",
      route: "/beta/me/notifications/:id",
      status: 201,
      durationMs: 12.5,
    });
    expect(lines[0]).not.toHaveProperty("aborted");
  });

  it("logs 5xx at error level and keeps the full route when an error leaves a mounted router", async () => {
    await request(server.url).get("/beta/fails/9").expect(500);
    const lines = linesFor("/beta/fails/9");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "error", route: "/beta/fails/:id", status: 500 });
  });

  it("labels unmatched requests as such, without putting the raw URL in the route", async () => {
    await request(server.url).get("/nothing/here").expect(404);
    const [line] = linesFor("/nothing/here");
    expect(line).toMatchObject({ level: "info", route: "unmatched", status: 404, requestId: "req-1" });
  });

  it("takes the request id from the response header when no local is set, and omits absent fields", async () => {
    await request(server.url).get("/plain/x").expect(404);
    const [line] = linesFor("/plain/x");
    expect(line).toMatchObject({ requestId: "hdr-5", status: 404 });
    expect(line).not.toHaveProperty("caller");
    expect(line).not.toHaveProperty("clientRequestId");
  });
});
