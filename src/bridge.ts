import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { expressMessageClasses } from "./http/express-messages.js";
import { createApp } from "./app.js";
import { configuredHubInstallations } from "./devices/configured-hub-installations.js";
import { parseAppHostRules, type AppHostRules } from "./auth/app-hosts.js";
import { defaultOpenIdMetadataUrl } from "./auth/types.js";
import type { Config } from "./config.js";
import { isHttpEndpoint } from "./emulator/client-options.js";
import { DeliveryError } from "./errors.js";
import { cacheReadiness, createHubSender, type HubSender } from "./delivery/hubs/hub-sender.js";
import { createThreadedHubSender } from "./delivery/hubs/threads/threaded-sender.js";
import { createNotificationHubsStrategy } from "./delivery/hubs/hubs-strategy.js";
import { createSyncPlanner } from "./feed/plan-sync.js";
import { newTimeOrderedId } from "./ids.js";
import type { DeliveryStrategy } from "./delivery/strategy.js";
import { anonymous, type Authenticate } from "./http/authenticate.js";
import { createHealthRouter } from "./observability/health.js";
import { createLogger } from "./observability/logger.js";
import { createMetrics, createMetricsMiddleware, recordDeliveryAttempt, type BridgeMetrics } from "./observability/metrics.js";
import { createRequestLogMiddleware } from "./observability/request-log.js";
import { createTracingMiddleware } from "./observability/tracing-middleware.js";
import { loadTracing } from "./observability/load-tracing.js";
import { serializeTraceContext, type Tracing } from "./observability/tracing.js";
import { createMetricsRouter } from "./observability/metrics-router.js";
import { traceSender } from "./observability/traced-delivery.js";
import { createConfiguredOutboxWorker } from "./outbox/configured-worker.js";
import { startOutboxThread, type OutboxThread } from "./outbox/thread/outbox-thread-host.js";
import type { AttemptEvent, OutboxWorker } from "./outbox/worker.js";
import { openStore } from "./store/open-store.js";
import { namingSetting } from "./startup-failure.js";
import { reportHubKeyAtStartup } from "./delivery/hubs/startup-hub-check.js";
import type { Store } from "./store/store.js";
import { createStoreHealth } from "./store/logged-store-health.js";
import { watchStore, type StoreHealth } from "./store/store-health.js";
import { readFileSync } from "node:fs";
import type { Store as RateLimitStore } from "express-rate-limit";

/** How often Node checks REQUEST_TIMEOUT_MS and HEADERS_TIMEOUT_MS against open connections. */
const TIMEOUT_SWEEP_MS = 1000;
/** While draining, how often connections that went idle are closed. */
const IDLE_SWEEP_MS = 100;

export interface BridgeOverrides {
  logger?: Logger;
  /** Tests pass tracing with an in-memory exporter; otherwise OTEL_EXPORTER_OTLP_ENDPOINT decides. */
  tracing?: Tracing;
  now?: () => Date;
  fetch?: typeof fetch;
  /** false in a cluster primary: it runs the outbox, the store and the emulator; its API processes serve HTTP. */
  serveHttp?: boolean;
  /** Set in a cluster's API process (API_PROCESSES > 1). */
  clusterWorker?: ClusterWorkerLink;
}

/** What an API process of a cluster gets from its primary. */
export interface ClusterWorkerLink {
  /** The whole cluster's /metrics text (the primary gathers every process's registry). */
  clusterMetrics: (own: BridgeMetrics) => Promise<string>;
  /** Rate-limit counts kept in the primary, shared by every API process. */
  rateLimitStore: RateLimitStore;
  /** Readiness of Notification Hubs as the primary's NH client sees it (API processes load no NH SDK). */
  hubReady: () => Promise<void>;
}

export interface RunningBridge {
  url: string;
  emulatorUrl?: string;
  connectionString?: string;
  store?: Store;
  worker?: OutboxWorker;
  /** The outbox worker's thread, when it runs on one (BRIDGE_ROLE=all, OUTBOX_THREAD). */
  outboxThread?: OutboxThread;
  logger: Logger;
  metrics: BridgeMetrics;
  /** The readiness check of the delivery strategy (Notification Hubs or Graph). */
  checkStrategyReady: () => Promise<void>;
  /** Graceful: stop accepting, finish requests, drain the worker, close the store. */
  shutdown(): Promise<void>;
}

async function buildAuthenticate(c: Config, o: BridgeOverrides): Promise<Authenticate> {
  if (c.AUTH_MODE === "none") return anonymous;
  const { createEntraVerifier } = await import("./auth/entra-verifier.js"); // jose, only with Entra auth
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

/**
 * The NH sender of this loop: on NH_SEND_THREADS worker threads, or (0) on this event loop. The SDK
 * is loaded here, on demand: with the outbox on its thread this loop never needs it.
 */
async function buildHubSender(c: Config, connectionString: string, now: () => Date, closers: Array<() => Promise<void>>): Promise<HubSender> {
  const allowInsecureHttp = isHttpEndpoint(connectionString);
  if (c.NH_SEND_THREADS > 0) {
    const threaded = createThreadedHubSender({ connectionString, hubName: c.NOTIFICATION_HUB_NAME, allowInsecureHttp, timeoutMs: c.NH_TIMEOUT_MS }, c.NH_SEND_THREADS);
    closers.push(() => threaded.close());
    return threaded;
  }
  const { createHubClient } = await import("./delivery/hubs/hub-client.js");
  const client = createHubClient({ connectionString, hubName: c.NOTIFICATION_HUB_NAME, allowInsecureHttp });
  return createHubSender(client, { timeoutMs: c.NH_TIMEOUT_MS, now });
}

/** With the outbox on its thread, this loop sends nothing; readiness asks the thread's NH client. */
function senderOnOutboxThread(thread: () => OutboxThread | undefined): HubSender {
  return {
    send: () => Promise.reject(new Error("sends run on the outbox thread")),
    checkReady: () => thread()?.checkReady() ?? Promise.reject(new DeliveryError("outbox thread not started yet", { retryable: true })),
  };
}

async function openAndMigrate(c: Config, o: BridgeOverrides): Promise<Store> {
  const store = await openStore(c.DATABASE_URL, { walCheckpoints: !c.outboxOnThread && !o.clusterWorker, outboxOnly: c.BRIDGE_ROLE === "worker" });
  try {
    await store.migrate();
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  return store;
}

/** Builds every part from config (the one place things are built), starts them, and listens. */
export async function startBridge(c: Config, o: BridgeOverrides = {}): Promise<RunningBridge> {
  if (c.routing) throw new Error("ROUTING_FILE: this build checks the routing file but does not route yet; unset ROUTING_FILE");
  const now = o.now ?? (() => new Date());
  const logger = o.logger ?? createLogger({ level: c.LOG_LEVEL, base: { service: c.OTEL_SERVICE_NAME } });
  const tracing = o.tracing ?? await loadTracing({ endpoint: c.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: c.OTEL_SERVICE_NAME });
  const closers: Array<() => Promise<void>> = [];

  let connectionString = c.NOTIFICATIONHUBS_CONNECTION_STRING;
  let emulatorUrl: string | undefined;
  if (c.embeddedEmulator) {
    const { startEmulator } = await import("./emulator/server.js"); // loaded only on the embedded default
    const emu = await namingSetting("EMULATOR_PORT", String(c.EMULATOR_PORT), () => startEmulator({ port: c.EMULATOR_PORT, host: "127.0.0.1", accessKey: c.EMULATOR_ACCESS_KEY, stateFile: c.EMULATOR_STATE_FILE }));
    emulatorUrl = emu.url;
    connectionString = emu.connectionString();
    closers.push(() => emu.close());
  }

  let store: Store | undefined;
  let storeHealth: StoreHealth | undefined;
  let sender: HubSender | undefined;
  let outboxThread: OutboxThread | undefined;
  let strategy: DeliveryStrategy;
  if (c.BRIDGE_STRATEGY === "graph") {
    // Loaded only for this strategy (MSAL alone is ~15 MB resident).
    const { createGraphStrategy } = await import("./delivery/graph/graph-strategy.js");
    const { createGraphTokenProvider } = await import("./delivery/graph/graph-token.js");
    const certificate = c.GRAPH_CLIENT_CERTIFICATE_PATH
      ? { privateKeyPem: readFileSync(c.GRAPH_CLIENT_CERTIFICATE_PATH, "utf8"), thumbprintSha256: c.GRAPH_CLIENT_CERTIFICATE_THUMBPRINT ?? "" }
      : undefined;
    strategy = createGraphStrategy({
      baseUrl: c.GRAPH_BASE_URL,
      timeoutMs: c.GRAPH_TIMEOUT_MS,
      fetch: o.fetch,
      auth: c.GRAPH_AUTH === "passthrough"
        ? { kind: "passthrough" }
        : { kind: "app", token: createGraphTokenProvider({ tenantId: c.GRAPH_TENANT_ID ?? "", clientId: c.GRAPH_CLIENT_ID ?? "", clientSecret: c.GRAPH_CLIENT_SECRET, certificate, authorityHost: c.GRAPH_AUTHORITY_HOST }) },
    });
  } else {
    const cs = connectionString ?? "";
    // With the outbox elsewhere (its thread, or a cluster's primary) this loop sends nothing and loads no SDK.
    const primary = c.BRIDGE_ROLE === "api" ? o.clusterWorker : undefined;
    const own = c.outboxOnThread
      ? senderOnOutboxThread(() => outboxThread)
      : primary
        ? { send: () => Promise.reject(new Error("sends run in the cluster's primary")), checkReady: primary.hubReady }
        : await buildHubSender(c, cs, now, closers);
    sender = traceSender(primary ? own : cacheReadiness(own, now), tracing?.tracer); // the primary caches its own answer
    if (c.DELIVERY_MODE === "outbox") {
      // The connection that delivers runs the SQLite WAL checkpoints: the outbox thread's, or in a
      // cluster the primary's. Accepting connections then never copy the WAL into the database.
      store = await namingSetting("DATABASE_URL", c.DATABASE_URL, () => openAndMigrate(c, o));
      closers.unshift(() => store!.close());
      // Every failure of this loop's store is seen here: a store that cannot write takes readiness down.
      storeHealth = createStoreHealth(store, logger, "readiness is false and accepts answer 503");
      store = watchStore(store, storeHealth);
    }
    strategy = createNotificationHubsStrategy({
      sender,
      tagTemplate: c.TARGET_TAG_TEMPLATE,
      iosFallbackMode: c.IOS_FALLBACK_MODE,
      now,
      mode: store ? { kind: "outbox", store } : { kind: "direct" },
      feed: c.FEED === "on",
    });
  }

  // In a cluster the primary reports the outbox gauges once; its API processes would repeat them.
  const outboxStats = store && !o.clusterWorker ? () => store!.outboxStats(now()) : undefined;
  const metrics = createMetrics({ outboxStats });
  const health = createHealthRouter({
    checks: [
      ...(store ? [{ name: "store", check: async () => { await storeHealth!.check(); await store!.ping(); if (!(await store!.migrationsApplied())) throw new Error("migrations not applied"); } }] : []),
      { name: c.BRIDGE_STRATEGY === "graph" ? "graph" : "notification-hubs", check: () => strategy.checkReady() },
    ],
  });

  // The outbox: on its own thread (BRIDGE_ROLE=all, the default), on this loop (OUTBOX_THREAD=false,
  // sqlite::memory:, or a BRIDGE_ROLE=worker process), or elsewhere (BRIDGE_ROLE=api).
  const onAttempt = (e: AttemptEvent) => recordDeliveryAttempt(metrics, { platform: e.platform, outcome: e.outcome, latencyMs: e.latencyMs, status: e.status, timedOut: e.timedOut });
  let worker: OutboxWorker | undefined;
  if (store && sender && c.BRIDGE_ROLE !== "api") {
    if (c.outboxOnThread) outboxThread = await startOutboxThread({ config: c, connectionString: connectionString ?? "" }, { logger, onAttempt });
    else worker = createConfiguredOutboxWorker(c, { store, sender, now, tracer: tracing?.tracer, logger, onAttempt, health: storeHealth });
  }

  // Each step runs even when an earlier one failed (a store that went away cannot take claims
  // back: those deliveries are retaken after their lease, so nothing is lost).
  const closeAll = async () => {
    const steps: Array<[string, () => Promise<void>]> = [
      ["outbox worker", async () => worker?.stop()],
      ["outbox thread", async () => outboxThread?.stop()],
      ...closers.map((close, i): [string, () => Promise<void>] => [`resource ${i + 1}`, close]),
      ["tracing", async () => tracing?.shutdown()],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (e) {
        logger.error({ err: e, step: name }, "shutdown step failed; continuing");
      }
    }
  };
  if (c.BRIDGE_STRATEGY === "hubs" && !o.clusterWorker) void reportHubKeyAtStartup({ checkReady: () => strategy.checkReady(), logger, hub: c.NOTIFICATION_HUB_NAME });
  const running = { emulatorUrl, connectionString: c.embeddedEmulator ? connectionString : undefined, store, worker, outboxThread, logger, metrics, checkStrategyReady: () => strategy.checkReady() };
  if (o.serveHttp === false) {
    worker?.start();
    let closing: Promise<void> | undefined;
    return { ...running, url: "", shutdown: () => (closing ??= closeAll()) };
  }

  let appHosts: AppHostRules | undefined;
  if (c.AUTH_APP_HOSTS_JSON) appHosts = parseAppHostRules(c.AUTH_APP_HOSTS_JSON);

  const cluster = o.clusterWorker;
  const app = createApp({
    strategy,
    store,
    authenticate: await buildAuthenticate(c, o),
    authMode: c.AUTH_MODE,
    appHosts,
    now,
    limits: { maxBodyBytes: c.MAX_BODY_BYTES, rateLimitPerMinute: c.RATE_LIMIT_PER_MINUTE, rateLimitStatus: c.RATE_LIMIT_STATUS, maxUrlLength: c.MAX_URL_LENGTH },
    rateLimitStore: cluster?.rateLimitStore,
    publicBaseUrl: c.PUBLIC_BASE_URL,
    adminToken: c.ADMIN_TOKEN,
    hubInstallations: store ? configuredHubInstallations(c, connectionString, now) : undefined,
    installationExpiryDays: c.INSTALLATION_EXPIRY_DAYS,
    unsIdPolicy: c.UNS_ID_POLICY,
    onCleanupError: (e) => logger.warn({ err: e }, "an expired installation could not be removed from the hub; the next send to its user retries"),
    observe: [createRequestLogMiddleware({ logger, strategy: strategy.name }), createMetricsMiddleware(metrics, strategy.name), createTracingMiddleware(tracing?.tracer)],
    serveApi: c.BRIDGE_ROLE !== "worker",
    routers: [health, createMetricsRouter(metrics, cluster && (() => cluster.clusterMetrics(metrics)))],
    onError: (e, raw) => { if (e.status >= 500) logger.error({ err: raw, code: e.code }, "request failed"); },
    currentTraceparent: tracing ? () => serializeTraceContext() : undefined,
    feed: store && c.FEED === "on" ? { planSync: createSyncPlanner({ tagTemplate: c.TARGET_TAG_TEMPLATE, newId: newTimeOrderedId }) } : undefined,
  });

  const server: Server = createServer({
    ...expressMessageClasses(app),
    maxHeaderSize: c.MAX_HEADER_BYTES, requestTimeout: c.REQUEST_TIMEOUT_MS, headersTimeout: c.HEADERS_TIMEOUT_MS,
    // Node enforces the two timeouts above on a sweep of its connections, every 30 s by default:
    // a slow client would get up to 30 s more than configured.
    connectionsCheckingInterval: TIMEOUT_SWEEP_MS,
  }, app);
  server.keepAliveTimeout = c.KEEP_ALIVE_TIMEOUT_MS;
  await namingSetting("PORT", `${c.HOST}:${c.PORT}`, () => new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(c.PORT, c.HOST, resolve);
  })).catch(async (e: unknown) => {
    await closeAll(); // the emulator, store and outbox thread started above
    throw e;
  });
  worker?.start();
  const { port } = server.address() as AddressInfo;
  const host = c.HOST.includes(":") ? `[${c.HOST}]` : c.HOST;

  let shuttingDown: Promise<void> | undefined;
  // While draining, answer on busy keep-alive connections with `Connection: close`: a client that
  // keeps reusing its connection (load, a probe polling /readyz) would otherwise hold server.close() open.
  server.prependListener("request", (_req, res) => {
    if (shuttingDown) res.setHeader("Connection", "close");
  });
  const shutdown = () =>
    (shuttingDown ??= (async () => {
      health.markShuttingDown();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A response already under way when the signal came goes out with keep-alive; once it is
      // sent, its connection idles, and would hold server.close() open for KEEP_ALIVE_TIMEOUT_MS.
      // Close connections as they go idle, not only those idle at the signal.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      await closed.finally(() => clearInterval(sweep));
      await closeAll();
    })());

  return { ...running, url: `http://${host}:${port}`, shutdown };
}
