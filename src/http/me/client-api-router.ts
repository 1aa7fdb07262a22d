import express, { Router, type RequestHandler } from "express";
import type { AppHostRules } from "../../auth/app-hosts.js";
import { errors } from "../../errors.js";
import type { HubInstallations } from "../../devices/hub-installations.js";
import type { SubscriptionStore } from "../../store/subscription-store.js";
import { identifyClientUser } from "./client-identity.js";
import { createInstallationRoutes } from "./installation-routes.js";
import { createSubscriptionRoutes } from "./subscription-routes.js";

/** Client requests are small JSON objects (a host name, a push channel). */
export const CLIENT_BODY_LIMIT_BYTES = 16_384;

/**
 * What every `/bridge/me/...` request passes, in order: the caller's token (authenticateCaller),
 * the user it names (identifyClientUser), the per-caller rate limit, then a JSON body if any.
 */
export function clientApiPipeline(o: { authenticate: RequestHandler; limitRate: RequestHandler }): RequestHandler[] {
  return [
    o.authenticate,
    identifyClientUser,
    o.limitRate,
    express.json({ limit: CLIENT_BODY_LIMIT_BYTES, strict: true, type: () => true }),
  ];
}

export interface ClientApiOptions {
  store: SubscriptionStore;
  appHosts?: AppHostRules;
  now: () => Date;
  /** Where installations are registered; without it (no hub) the installation routes are not served. */
  hub?: HubInstallations;
  /** Days an installation lives without a new PUT (INSTALLATION_EXPIRY_DAYS). */
  installationExpiryDays: number;
  publicBaseUrl?: string;
  /** clientApiPipeline(...): authentication, user identity, rate limit, body. */
  pipeline: RequestHandler[];
  /** More routes under /bridge/me (relative paths), mounted after the pipeline. */
  routers?: Router[];
}

/** The client-facing API, mounted at /bridge/me. */
export function createClientApiRouter(o: ClientApiOptions): Router {
  const r = Router();
  r.use(...o.pipeline);
  r.use(createSubscriptionRoutes(o));
  if (o.hub) r.use(createInstallationRoutes({ ...o, hub: o.hub, expiryDays: o.installationExpiryDays }));
  for (const extra of o.routers ?? []) r.use(extra);
  r.use((req, _res, next) => next(errors.notFound(`The resource '/bridge/me${req.path.slice(0, 200)}'`)));
  return r;
}
