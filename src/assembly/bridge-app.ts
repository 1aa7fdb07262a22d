import type { Express } from "express";
import { createApp } from "../app.js";
import { parseAppHostRules } from "../auth/app-hosts.js";
import { defaultOpenIdMetadataUrl } from "../auth/types.js";
import type { Config } from "../config.js";
import { configuredHubInstallations } from "../devices/configured-hub-installations.js";
import { createSyncPlanner } from "../feed/plan-sync.js";
import { anonymous, type Authenticate } from "../http/authenticate.js";
import { newTimeOrderedId } from "../ids.js";
import { createMetricsMiddleware } from "../observability/metrics.js";
import { createMetricsRouter } from "../observability/metrics-router.js";
import { createRequestLogMiddleware } from "../observability/request-log.js";
import { createTracingMiddleware } from "../observability/tracing-middleware.js";
import { serializeTraceContext } from "../observability/tracing.js";
import type { BridgeDeps } from "./build-deps.js";
import type { BridgeOverrides } from "./types.js";

/** The Express app over the built parts (never listens). */
export async function createBridgeApp(d: BridgeDeps, o: BridgeOverrides): Promise<Express> {
  const { config: c, logger, strategy, metrics, tracing } = d;
  const cluster = o.clusterWorker;
  return createApp({
    strategy,
    store: d.store,
    authenticate: await buildAuthenticate(c, o),
    authMode: c.AUTH_MODE,
    appHosts: c.AUTH_APP_HOSTS_JSON ? parseAppHostRules(c.AUTH_APP_HOSTS_JSON) : undefined,
    now: d.now,
    limits: { maxBodyBytes: c.MAX_BODY_BYTES, rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE, rateLimitStatus: c.RATE_LIMIT_STATUS, maxUrlLength: c.MAX_URL_LENGTH },
    rateLimitStore: cluster?.rateLimitStore,
    publicBaseUrl: c.PUBLIC_BASE_URL,
    adminToken: c.ADMIN_TOKEN,
    hubInstallations: d.routing?.installations ?? (d.store ? configuredHubInstallations(c, d.connectionString, d.now) : undefined),
    routing: d.routing?.state,
    installationExpiryDays: c.INSTALLATION_EXPIRY_DAYS,
    unsIdPolicy: c.UNS_ID_POLICY,
    onCleanupError: (e) => logger.warn({ err: e }, "an expired installation could not be removed from the hub; the next send to its user retries"),
    observe: [createRequestLogMiddleware({ logger, strategy: strategy.name }), createMetricsMiddleware(metrics, strategy.name), createTracingMiddleware(tracing?.tracer)],
    serveApi: c.BRIDGE_ROLE !== "worker",
    routers: [d.health, createMetricsRouter(metrics, cluster && (() => cluster.clusterMetrics(metrics)))],
    onError: (e, raw) => { if (e.status >= 500) logger.error({ err: raw, code: e.code }, "request failed"); },
    currentTraceparent: tracing ? () => serializeTraceContext() : undefined,
    feed: d.store && c.FEED === "on" ? { planSync: createSyncPlanner({ tagTemplate: c.TARGET_TAG_TEMPLATE, newId: newTimeOrderedId }) } : undefined,
  });
}

async function buildAuthenticate(c: Config, o: BridgeOverrides): Promise<Authenticate> {
  if (c.AUTH_MODE === "none") return anonymous;
  const { createEntraVerifier } = await import("../auth/entra-verifier.js"); // jose, only with Entra auth
  const tenants = c.AUTH_TENANT_ID ?? [];
  const verifier = createEntraVerifier({
    tenantIds: tenants,
    audiences: c.AUTH_AUDIENCES,
    openIdMetadataUrl: c.AUTH_OPENID_METADATA_URL ?? defaultOpenIdMetadataUrl(tenants[0]),
    fetch: o.fetch,
    now: o.now,
  });
  return (header) => verifier.verify(header);
}
