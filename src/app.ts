import express, { type RequestHandler, type Router } from "express";
import type { Store as RateLimitStore } from "express-rate-limit";
import helmet from "helmet";
import type { AppHostRules } from "./auth/app-hosts.js";
import type { DeliveryStrategy } from "./delivery/strategy.js";
import type { HubInstallations } from "./devices/hub-installations.js";
import { createRecipientResolver, type UnsIdPolicy } from "./devices/recipients.js";
import type { AppError } from "./errors.js";
import { authenticateCaller, type Authenticate } from "./http/authenticate.js";
import { createErrorHandler, notFoundHandler } from "./http/error-handler.js";
import { clientApiPipeline, createClientApiRouter } from "./http/me/client-api-router.js";
import { parseLegacyJson } from "./http/legacy-body.js";
import { limitRate, limitUrlLength } from "./http/limits.js";
import { assignRequestIds } from "./http/request-ids.js";
import { createAdminRouter, requireAdmin } from "./http/routes/admin.js";
import { createFeedRouter } from "./http/routes/feed.js";
import { resolveFeedOwner, type ResolveFeedOwner } from "./feed/feed-owner.js";
import type { SyncPlanner } from "./feed/plan-sync.js";
import { createNotificationRouter } from "./http/routes/notifications.js";
import { createPreviewRouter } from "./http/routes/preview.js";
import { createRoutingRouter, type RoutingView } from "./http/routes/routing.js";
import { createStatusRouter } from "./http/routes/status.js";
import type { Store } from "./store/store.js";

export interface AppDeps {
  strategy: DeliveryStrategy;
  /** Present with the durable outbox: enables status, acknowledgement and operator endpoints. */
  store?: Store;
  authenticate: Authenticate;
  authMode: "none" | "entra";
  appHosts?: AppHostRules;
  now: () => Date;
  limits: { maxBodyBytes: number; rateLimitPerMinute: number; rateLimitStatus: number; maxUrlLength: number };
  /** Where rate-limit counts live; default this process's memory (a cluster keeps them in its primary). */
  rateLimitStore?: RateLimitStore;
  publicBaseUrl?: string;
  adminToken?: string;
  /** The client API's installations go here (the hubs strategy's hub); absent: not served. */
  hubInstallations?: HubInstallations;
  /** INSTALLATION_EXPIRY_DAYS; default 90. */
  installationExpiryDays?: number;
  /** With ROUTING_FILE: GET /bridge/routing and POST /bridge/routing/reload (operator). */
  routing?: RoutingView;
  /** UNS_ID_POLICY: what an X-UNS-ID the bridge never issued does (with a store); default any. */
  unsIdPolicy?: UnsIdPolicy;
  /** An expired installation could not be removed while resolving a send (logged; the send goes on). */
  onCleanupError?: (e: unknown) => void;
  /** Request logging and metrics, run first for every request. */
  observe?: RequestHandler[];
  /** false for a worker-only process: it serves the operational routers and nothing else. */
  serveApi?: boolean;
  /** Extra routers mounted before the API (health, metrics). */
  routers?: Router[];
  onError?: (e: AppError, raw: unknown) => void;
  currentTraceparent?: () => string | undefined;
  newId?: () => string;
  /** FEED=on with the outbox: the user's feed under /bridge/me/notifications. */
  feed?: { planSync: SyncPlanner; resolveOwner?: ResolveFeedOwner };
}

/** The Express app, wired from its dependencies. It never listens: main.ts does. */
export function createApp(d: AppDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);

  // 1. Identity of the request, then observation, so every answer (errors included) is logged and counted.
  app.use(assignRequestIds);
  for (const h of d.observe ?? []) app.use(h);
  // 2. Hardening before any work.
  app.use(helmet({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false }));
  app.use(limitUrlLength(d.limits.maxUrlLength));
  // 3. Operational endpoints (health, metrics).
  for (const r of d.routers ?? []) app.use(r);

  // 4. The legacy API: authenticate, rate-limit per caller, then read the body.
  if (d.serveApi !== false) mountApi(app, d);

  // 5. Everything else is a Graph-shaped 404; every error leaves through one handler.
  app.use(notFoundHandler);
  app.use(createErrorHandler({ maxBodyBytes: d.limits.maxBodyBytes, now: d.now, onError: d.onError }));
  return app;
}

function mountApi(app: express.Express, d: AppDeps): void {
  const authenticate = authenticateCaller(d.authenticate);
  // One limiter: a caller's allowance covers the legacy API and the client API together.
  const limit = limitRate({ perMinute: d.limits.rateLimitPerMinute, status: d.limits.rateLimitStatus, now: d.now, store: d.rateLimitStore });
  const accept = [authenticate, limit, ...parseLegacyJson(d.limits.maxBodyBytes)];
  // With a store, X-UNS-ID values (and delegated users) resolve against the subscriptions the bridge registered.
  const recipients = d.store
    ? createRecipientResolver({ store: d.store.subscriptions, hub: d.hubInstallations, policy: d.unsIdPolicy ?? "any", now: d.now, onCleanupError: d.onCleanupError })
    : undefined;
  app.use(createNotificationRouter({ strategy: d.strategy, now: d.now, appHosts: d.appHosts, publicBaseUrl: d.publicBaseUrl, currentTraceparent: d.currentTraceparent, accept, recipients }));
  app.use(createPreviewRouter({ strategy: d.strategy, now: d.now, appHosts: d.appHosts, accept, newId: d.newId, recipients }));
  if (d.store) {
    app.use(createStatusRouter({ store: d.store, now: d.now, authenticate, appHosts: d.appHosts }));
    if (d.feed) {
      const resolveOwner = d.feed.resolveOwner ?? resolveFeedOwner({ subscriptions: d.store.subscriptions, appHosts: d.appHosts });
      // Before the client API's catch-all: the feed also answers app tokens naming a user with X-UNS-ID.
      app.use(createFeedRouter({ store: d.store.feed, now: d.now, guard: [authenticate, limit], resolveOwner, planSync: d.feed.planSync, publicBaseUrl: d.publicBaseUrl }));
    }
    app.use("/bridge/me", createClientApiRouter({
      store: d.store.subscriptions, appHosts: d.appHosts, now: d.now, hub: d.hubInstallations, installationExpiryDays: d.installationExpiryDays ?? 90, publicBaseUrl: d.publicBaseUrl,
      pipeline: clientApiPipeline({ authenticate, limitRate: limit }),
    }));
    app.use(createAdminRouter({ store: d.store, now: d.now, guard: requireAdmin({ adminToken: d.adminToken, authMode: d.authMode }) }));
  }
  if (d.routing) app.use(createRoutingRouter({ routing: d.routing, guard: requireAdmin({ adminToken: d.adminToken, authMode: d.authMode }) }));
}
