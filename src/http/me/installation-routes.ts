import { Router, type Request, type Response } from "express";
import { normaliseHost, type AppHostRules } from "../../auth/app-hosts.js";
import { checkInstallationId, checkInstallationRequest } from "../../devices/installation-request.js";
import { installationETag, ownInstallation, registerInstallation, removeInstallation, type InstallationDeps } from "../../devices/installations.js";
import { errors } from "../../errors.js";
import { GRAPH_JSON } from "../../legacy/response.js";
import type { InstallationRecord } from "../../store/subscription-store.js";
import { baseUrlOf, methodNotAllowed } from "../routes/notifications.js";
import { authorizedHostOf, clientUserOf } from "./client-identity.js";
import { idPageOf, sendIdPage } from "./id-pages.js";

/** What a client sees of its installation; the Web Push auth secret is never echoed. */
export function installationView(i: InstallationRecord) {
  const pushChannel = typeof i.pushChannel === "string" ? i.pushChannel : { endpoint: i.pushChannel.endpoint, p256dh: i.pushChannel.p256dh };
  return {
    id: i.id, targetHostName: i.targetHostName, platform: i.platform, pushChannel, subscriptionId: i.subscriptionId, appId: i.appId,
    createdDateTime: i.createdAt.toISOString(), lastModifiedDateTime: i.updatedAt.toISOString(), expirationDateTime: i.expiresAt.toISOString(),
  };
}

function sendInstallation(res: Response, status: number, i: InstallationRecord): void {
  res.setHeader("ETag", installationETag(i));
  res.status(status).type(GRAPH_JSON).send(JSON.stringify(installationView(i)));
}

function idOf(req: Request): string {
  const id = String(req.params.id);
  const problem = checkInstallationId(id);
  if (problem) throw errors.invalidRequest(problem);
  return id;
}

function hostFilterOf(req: Request): string | undefined {
  return req.query.targetHostName === undefined ? undefined : normaliseHost(String(req.query.targetHostName));
}

/**
 * The user's device installations: PUT (create or replace, 201/200), GET one, GET the list
 * (`{"value": [...]}` with `@odata.nextLink`), DELETE (204; removed from the hub).
 */
export function createInstallationRoutes(d: InstallationDeps & { appHosts?: AppHostRules; publicBaseUrl?: string }): Router {
  const r = Router();
  r.route("/installations")
    .get(async (req: Request, res: Response) => {
      const user = clientUserOf(res);
      const { top, after } = idPageOf(req);
      const host = hostFilterOf(req);
      const rows = await d.store.listUserInstallations({ tenantId: user.tenantId, userObjectId: user.userObjectId, targetHostName: host, now: d.now(), limit: top + 1, after });
      sendIdPage(req, res, { rows, top, view: installationView, path: "/bridge/me/installations", keep: host ? { targetHostName: host } : undefined, publicBaseUrl: d.publicBaseUrl });
    })
    .all(methodNotAllowed(["GET"]));

  r.route("/installations/:id")
    .put(async (req: Request, res: Response) => {
      const id = idOf(req);
      const checked = checkInstallationRequest(req.body);
      if (!checked.ok) throw errors.invalidRequest(checked.problem);
      const host = authorizedHostOf(res, checked.value.targetHostName, d.appHosts);
      const result = await registerInstallation(d, { user: clientUserOf(res), id, host, request: checked.value, ifMatch: req.get("If-Match"), ifNoneMatch: req.get("If-None-Match") });
      if (result.outcome === "created") res.setHeader("Location", `${baseUrlOf(req, d.publicBaseUrl)}/bridge/me/installations/${encodeURIComponent(id)}`);
      sendInstallation(res, result.outcome === "created" ? 201 : 200, result.installation);
    })
    .get(async (req: Request, res: Response) => {
      const found = await ownInstallation(d.store, clientUserOf(res), idOf(req));
      if (found.expiresAt <= d.now()) throw errors.notFound(`Installation '${found.id}'`);
      if (req.get("If-None-Match")?.split(",").map((t) => t.trim()).includes(installationETag(found))) {
        res.setHeader("ETag", installationETag(found));
        res.status(304).end();
        return;
      }
      sendInstallation(res, 200, found);
    })
    .delete(async (req: Request, res: Response) => {
      await removeInstallation(d, { user: clientUserOf(res), id: idOf(req), ifMatch: req.get("If-Match") });
      res.status(204).end();
    })
    .all(methodNotAllowed(["GET", "PUT", "DELETE"]));
  return r;
}
