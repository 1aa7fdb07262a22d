import { Router, type Request, type Response } from "express";
import { hostsAllowedFor, type AppHostRules } from "../../auth/app-hosts.js";
import { checkLegacyUnsId, subscribe } from "../../devices/subscriptions.js";
import { errors } from "../../errors.js";
import { GRAPH_JSON } from "../../legacy/response.js";
import type { SubscriptionRecord, SubscriptionStore } from "../../store/subscription-store.js";
import { callerOf } from "../authenticate.js";
import { methodNotAllowed } from "../routes/notifications.js";
import { authorizedHostOf, clientUserOf } from "./client-identity.js";
import { idPageOf, sendIdPage } from "./id-pages.js";

export const subscriptionView = (s: SubscriptionRecord) => ({ id: s.id, targetHostName: s.targetHostName, createdDateTime: s.createdAt.toISOString() });

/** The hosts a list may show: the one asked for (once the app may use it), else every host the app may use. */
function listedHosts(req: Request, res: Response, appHosts: AppHostRules | undefined): string[] | undefined {
  if (req.query.targetHostName !== undefined) return [authorizedHostOf(res, req.query.targetHostName, appHosts)];
  return hostsAllowedFor(callerOf(res), appHosts);
}

/**
 * POST /bridge/me/subscriptions {"targetHostName", "legacyUnsId"?}: the caller's subscription id
 * for that host (the UNS ID's replacement): 201 the first time, 200 with the same id after.
 */
export function createSubscriptionRoutes(o: { store: SubscriptionStore; appHosts?: AppHostRules; now: () => Date; publicBaseUrl?: string }): Router {
  const r = Router();
  r.route("/subscriptions")
    .get(async (req: Request, res: Response) => {
      const user = clientUserOf(res);
      const hosts = listedHosts(req, res, o.appHosts);
      const { top, after } = idPageOf(req);
      const rows = await o.store.listUserSubscriptions({ tenantId: user.tenantId, userObjectId: user.userObjectId, hosts, limit: top + 1, after });
      const keep = req.query.targetHostName === undefined ? undefined : { targetHostName: hosts![0] };
      sendIdPage(req, res, { rows, top, view: subscriptionView, path: "/bridge/me/subscriptions", keep, publicBaseUrl: o.publicBaseUrl });
    })
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
    .all(methodNotAllowed(["GET", "POST"]));

  r.route("/subscriptions/:id")
    .get(async (req: Request, res: Response) => {
      const user = clientUserOf(res);
      const id = String(req.params.id);
      const found = id.length <= 256 ? await o.store.getSubscription(id) : undefined;
      const allowed = found && hostsAllowedFor(callerOf(res), o.appHosts);
      // Another user's id, or one for a host this app may not use, is not there for this caller.
      if (!found || found.tenantId !== user.tenantId || found.userObjectId !== user.userObjectId || (allowed && !allowed.includes(found.targetHostName))) {
        throw errors.notFound(`Subscription '${id.slice(0, 64)}'`);
      }
      res.status(200).type(GRAPH_JSON).send(JSON.stringify(subscriptionView(found)));
    })
    .all(methodNotAllowed(["GET"]));
  return r;
}
