import { timingSafeEqual } from "node:crypto";
import { Router, type Request, type RequestHandler, type Response } from "express";
import { errors, type AppError } from "../../errors.js";
import type { DeliveryRecord, DeliveryState, OperatorViews } from "../../store/store.js";
import { methodNotAllowed } from "./notifications.js";
import { deliveryView } from "./status.js";

const STATES: DeliveryState[] = ["pending", "retrying", "sent", "dead-lettered", "expired", "cancelled", "superseded"];

/** ADMIN_TOKEN guards the operator endpoints; without it they are open only when auth is off (loopback). */
export function requireAdmin(o: { adminToken?: string; authMode: "none" | "entra" }): RequestHandler {
  return (req, _res, next) => {
    if (!o.adminToken) return o.authMode === "none" ? next() : next(errors.forbidden("Operator endpoints need ADMIN_TOKEN to be configured."));
    const sent = /^Bearer\s+(\S+)$/i.exec(req.get("Authorization") ?? "")?.[1] ?? "";
    const a = Buffer.from(sent);
    const b = Buffer.from(o.adminToken);
    if (a.length === b.length && timingSafeEqual(a, b)) return next();
    next(errors.unauthenticated("Operator endpoints need 'Authorization: Bearer <ADMIN_TOKEN>'.", 'Bearer realm="graph-notifications-bridge-admin"'));
  };
}

/** Why a replay was refused: an unknown id, a delivery not in a final failed state, or an expired notification. */
function replayRefusal(d: DeliveryRecord | undefined, now: Date): AppError {
  if (!d) return errors.notFound("The delivery");
  if (d.expiresAt.getTime() <= now.getTime()) return errors.replayOfExpired(d.expiresAt);
  return errors.conflict(`Only a dead-lettered or expired delivery can be replayed; this one is ${d.state}.`);
}

/** GET /bridge/deliveries?state=dead-lettered and POST /bridge/deliveries/{id}/replay. */
export function createAdminRouter(o: { store: OperatorViews; now: () => Date; guard: RequestHandler }): Router {
  const r = Router();
  r.route("/bridge/deliveries")
    .get(o.guard, async (req: Request, res: Response) => {
      const state = req.query.state === undefined ? undefined : String(req.query.state);
      if (state !== undefined && !STATES.includes(state as DeliveryState)) throw errors.invalidRequest(`'state' must be one of ${STATES.join(", ")}.`);
      const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw errors.invalidRequest("'limit' must be a whole number from 1 to 1000.");
      const after = req.query.after === undefined ? undefined : String(req.query.after);
      const rows = await o.store.listDeliveries({ state: state as DeliveryState | undefined, limit, after });
      const next = rows.length === limit ? rows[rows.length - 1].id : null;
      res.json({ value: rows.map(deliveryView), nextAfter: next });
    })
    .all(methodNotAllowed(["GET"]));
  r.route("/bridge/deliveries/:id/replay")
    .post(o.guard, async (req: Request, res: Response) => {
      const id = String(req.params.id);
      const now = o.now();
      const row = await o.store.replayDelivery({ id, now });
      if (!row) throw replayRefusal(await o.store.getDelivery(id), now);
      res.status(202).json(deliveryView(row));
    })
    .all(methodNotAllowed(["POST"]));
  return r;
}
