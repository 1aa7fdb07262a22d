import { IncomingMessage, ServerResponse } from "node:http";
import express, { type Express } from "express";
import { afterEach, describe, expect, it } from "vitest";
import { expressMessageClasses } from "../../src/http/express-messages.js";
import { resolveRouteLabel, trackMatchedRoute } from "../../src/observability/route-label.js";
import { listen, type Listening } from "../support/listen.js";
import { until } from "../support/until.js";

/**
 * The request and response objects of the bridge's server are born with the Express app's
 * prototypes, and route tracking lives on that prototype: neither Express's re-prototyping nor
 * our route accessor changes a request's shape, which kept its objects alive through V8's
 * young-generation GCs (docs/designs/2026-11-request-objects-and-gc.md).
 */
describe("HTTP messages shaped for Express from birth", () => {
  let listening: Listening | undefined;
  afterEach(async () => {
    await listening?.close();
    listening = undefined;
  });

  async function serve(app: Express, seen: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
    listening = await listen(app, expressMessageClasses(app));
    listening.server.prependListener("request", seen); // runs before Express re-prototypes anything
    return listening.url;
  }

  it("creates requests and responses whose prototypes are already the app's, and Express works on them", async () => {
    const app = express();
    app.post("/things/:id", express.json(), (req, res) => {
      res.status(201).json({ id: req.params.id, name: (req.body as { name: string }).name, agent: req.get("x-caller") });
    });
    const born: Array<{ req: object | null; res: object | null; isMessage: boolean; isResponse: boolean }> = [];
    const url = await serve(app, (req, res) => {
      born.push({ req: Object.getPrototypeOf(req), res: Object.getPrototypeOf(res), isMessage: req instanceof IncomingMessage, isResponse: res instanceof ServerResponse });
    });

    const r = await fetch(`${url}/things/42`, { method: "POST", headers: { "content-type": "application/json", "x-caller": "test" }, body: JSON.stringify({ name: "kite" }) });
    expect(r.status).toBe(201);
    expect(await r.json()).toEqual({ id: "42", name: "kite", agent: "test" });
    expect(born).toEqual([{ req: app.request, res: app.response, isMessage: true, isResponse: true }]);
  });

  it("tracks the matched route through the app's request prototype, not an accessor on each request", async () => {
    const app = express();
    const own: Array<PropertyDescriptor | undefined> = [];
    const labels: string[] = [];
    app.use((req, res, next) => {
      trackMatchedRoute(req);
      res.once("finish", () => labels.push(resolveRouteLabel(req)));
      next();
    });
    const router = express.Router();
    router.get("/notifications/:id", (req, res) => {
      own.push(Object.getOwnPropertyDescriptor(req, "route"));
      res.status(204).end();
    });
    app.use("/beta/me", router);
    const url = await serve(app, () => undefined);

    expect((await fetch(`${url}/beta/me/notifications/7`)).status).toBe(204);
    expect((await fetch(`${url}/beta/me/notifications/8`)).status).toBe(204);
    expect((await fetch(`${url}/nowhere`)).status).toBe(404);
    await until("three finished requests", () => (labels.length === 3 ? labels : undefined));
    expect(labels).toEqual(["/beta/me/notifications/:id", "/beta/me/notifications/:id", "unmatched"]);
    expect(own).toEqual([undefined, undefined]);
    expect(Object.getOwnPropertyDescriptor(app.request, "route")?.set).toBeTypeOf("function");
  });
});
