import { randomUUID } from "node:crypto";
import { Router, type Request, type RequestHandler, type Response } from "express";
import type { AppHostRules } from "../../auth/app-hosts.js";
import { canPreview, type DeliveryStrategy } from "../../delivery/strategy.js";
import { describeFallbackAlert } from "../../delivery/hubs/mapping/fallback-alert.js";
import { errors } from "../../errors.js";
import { GRAPH_JSON } from "../../legacy/response.js";
import type { ResolveRecipient } from "../../devices/recipients.js";
import { callerOf } from "../authenticate.js";
import { resolveRequest } from "./notifications.js";

/**
 * POST /bridge/preview: the exact native sends the hubs strategy would hand Notification Hubs for
 * this legacy body, without sending anything.
 */
export function createPreviewRouter(o: {
  strategy: DeliveryStrategy;
  now: () => Date;
  appHosts?: AppHostRules;
  accept: RequestHandler[];
  newId?: () => string;
  recipients?: ResolveRecipient;
}): Router {
  const r = Router();
  r.route("/bridge/preview")
    .post(...o.accept, async (req: Request, res: Response) => {
      if (!canPreview(o.strategy)) throw errors.invalidRequest("Preview shows native Notification Hubs sends; it is available with BRIDGE_STRATEGY=hubs only.");
      const { notification, unsId, targets } = await resolveRequest(req, res, o);
      const accepted = { ...notification, id: (o.newId ?? randomUUID)(), unsId, createdAt: o.now(), ...(targets ? { targets } : {}) };
      const { sends, routing } = o.strategy.preview(accepted, { caller: callerOf(res) });
      const iosFallbackAlert = describeFallbackAlert(accepted, sends);
      res.status(200).type(GRAPH_JSON).send(JSON.stringify({ id: accepted.id, unsId, sent: false, targets: targets ?? null, sends, iosFallbackAlert, ...(routing ? { routing } : {}) }));
    })
    .all((req) => {
      throw errors.methodNotAllowed(req.method, ["POST"]);
    });
  return r;
}
