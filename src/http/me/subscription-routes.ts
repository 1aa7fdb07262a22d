import { Router, type Request, type Response } from "express";
import type { AppHostRules } from "../../auth/app-hosts.js";
import { checkLegacyUnsId, subscribe } from "../../devices/subscriptions.js";
import { errors } from "../../errors.js";
import { GRAPH_JSON } from "../../legacy/response.js";
import type { SubscriptionRecord, SubscriptionStore } from "../../store/subscription-store.js";
import { methodNotAllowed } from "../routes/notifications.js";
import { authorizedHostOf, clientUserOf } from "./client-identity.js";

export const subscriptionView = (s: SubscriptionRecord) => ({ id: s.id, targetHostName: s.targetHostName, createdDateTime: s.createdAt.toISOString() });

/**
 * POST /bridge/me/subscriptions {"targetHostName", "legacyUnsId"?}: the caller's subscription id
 * for that host (the UNS ID's replacement): 201 the first time, 200 with the same id after.
 */
export function createSubscriptionRoutes(o: { store: SubscriptionStore; appHosts?: AppHostRules; now: () => Date }): Router {
  const r = Router();
  r.route("/subscriptions")
    .post(async (req: Request, res: Response) => {
      const body = req.body as Record<string, unknown> | undefined;
      if (!body || typeof body !== "object" || Array.isArray(body)) throw errors.invalidRequest("The request body must be a JSON object: {\"targetHostName\": \"...\"}.");
      const unknown = Object.keys(body).find((k) => k !== "targetHostName" && k !== "legacyUnsId");
      if (unknown !== undefined) throw errors.invalidRequest(`'${unknown.slice(0, 64)}' is not a property of a subscription request; send targetHostName and, optionally, legacyUnsId.`);
      const targetHostName = authorizedHostOf(res, body.targetHostName, o.appHosts);
      const legacyUnsId = checkLegacyUnsId(body.legacyUnsId);
      const user = clientUserOf(res);
      const { subscription, created } = await subscribe(o.store, { tenantId: user.tenantId, userObjectId: user.userObjectId, targetHostName, legacyUnsId }, o.now());
      res.status(created ? 201 : 200).type(GRAPH_JSON).send(JSON.stringify(subscriptionView(subscription)));
    })
    .all(methodNotAllowed(["POST"]));
  return r;
}
