import { Router, type RequestHandler } from "express";
import { errors } from "../../errors.js";
import type { ReloadResult } from "../../routing/routing-state.js";
import { methodNotAllowed } from "./notifications.js";

/** What the operator endpoints need of the routing in force. */
export interface RoutingView {
  view(): unknown;
  reload(trigger: string): Promise<ReloadResult>;
}

/**
 * GET /bridge/routing: the routing in force (secrets redacted), when it was loaded, counts per
 * route and destination. POST /bridge/routing/reload: re-reads ROUTING_FILE; 200 with the new
 * view, or 422 naming the problems while the previous routing stays in force. Operator only.
 */
export function createRoutingRouter(o: { routing: RoutingView; guard: RequestHandler }): Router {
  const r = Router();
  r.route("/bridge/routing")
    .get(o.guard, (_req, res) => {
      res.set("cache-control", "no-store").json(o.routing.view());
    })
    .all(methodNotAllowed(["GET"]));
  r.route("/bridge/routing/reload")
    .post(o.guard, async (_req, res) => {
      const result = await o.routing.reload("POST /bridge/routing/reload");
      if (!result.applied) throw errors.routingFileRefused(result.problems);
      res.status(200).json(o.routing.view());
    })
    .all(methodNotAllowed(["POST"]));
  return r;
}
