import { readFileSync } from "node:fs";
import { z } from "zod";
import { connectionStringProblem } from "./delivery/hubs/connection-string.js";
import { checkTagTemplate } from "./delivery/hubs/targeting.js";
import { isLoopbackHost, isLoopbackUrl } from "./net/loopback.js";
import { parseRoutingFile, RoutingFileError, type ParsedRouting } from "./routing/routing-file.js";
import { redactRouting } from "./routing/redact-routing.js";
import type { RoutingTable } from "./routing/types.js";
import { leaseProblems } from "./outbox/lease.js";

/**
 * The only module that reads the environment. loadConfig is pure (env in, frozen Config out) and
 * throws ConfigError listing every problem with what to do about it.
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "use true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");
const int = (min: number, max: number) =>
  z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(min).max(max);
const csv = z.string().transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean));
const lower = <T extends readonly [string, ...string[]]>(values: T) =>
  z.string().transform((s) => s.trim().toLowerCase()).pipe(z.enum(values, { message: `use one of: ${values.join(", ")}` }));

const schema = z.object({
  PORT: int(0, 65535).default(8080),
  HOST: z.string().min(1).default("127.0.0.1"),
  PUBLIC_BASE_URL: z.url({ message: "must be an absolute URL such as https://bridge.example.com" }).optional(),
  BRIDGE_STRATEGY: lower(["hubs", "graph"] as const).default("hubs"),
  DELIVERY_MODE: lower(["outbox", "direct"] as const).default("outbox"),
  BRIDGE_ROLE: lower(["all", "api", "worker"] as const).default("all"),
  API_PROCESSES: int(1, 64).default(1),
  BRIDGE_API_PROCESS: bool.default(false),
  NOTIFICATIONHUBS_CONNECTION_STRING: z.string().min(1).optional(),
  NOTIFICATION_HUB_NAME: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,259}$/, "use letters, digits, '.', '_' or '-'").default("bridge"),
  NH_ALLOW_INSECURE_HTTP: bool.default(false),
  NH_TIMEOUT_MS: int(100, 120_000).default(10_000),
  NH_SEND_THREADS: int(0, 16).default(0),
  TARGET_TAG_TEMPLATE: z.string().min(1).default("$UserId:{unsId}"),
  UNS_ID_POLICY: lower(["any", "registered-only"] as const).default("any"),
  INSTALLATION_EXPIRY_DAYS: int(1, 3650).default(90),
  IOS_FALLBACK_MODE: lower(["immediate", "deferred"] as const).optional(),
  GRAPH_BASE_URL: z.url({ message: "must be an absolute URL" }).default("https://graph.microsoft.com"),
  GRAPH_AUTH: lower(["app", "passthrough"] as const).default("app"),
  GRAPH_TENANT_ID: z.string().min(1).optional(),
  GRAPH_CLIENT_ID: z.string().min(1).optional(),
  GRAPH_CLIENT_SECRET: z.string().min(1).optional(),
  GRAPH_CLIENT_CERTIFICATE_PATH: z.string().min(1).optional(),
  GRAPH_CLIENT_CERTIFICATE_THUMBPRINT: z.string().regex(/^[0-9A-Fa-f]{64}$/, "must be the certificate's SHA-256 thumbprint in hex").optional(),
  GRAPH_AUTHORITY_HOST: z.url().default("https://login.microsoftonline.com"),
  GRAPH_TIMEOUT_MS: int(100, 120_000).default(15_000),
  EMULATOR_PORT: int(0, 65535).default(10110),
  EMULATOR_ACCESS_KEY: z.string().min(1).optional(),
  EMULATOR_STATE_FILE: z.string().min(1).optional(),
  DATABASE_URL: z.string().min(1).default("sqlite:./data/bridge.db"),
  // SQLite: a write waits this long for others to share its commit (docs/designs/2026-12-commit-delay.md).
  SQLITE_COMMIT_DELAY_MS: int(0, 20).default(1),
  OUTBOX_THREAD: bool.default(true),
  // A ceiling that also makes V8 grow the thread's old generation by small steps (docs/designs/2026-12-outbox-thread-memory.md).
  OUTBOX_THREAD_MAX_OLD_GENERATION_MB: int(0, 16_384).refine((v) => v === 0 || v >= 64, "use 0 (V8's default) or at least 64: the thread's live heap is 15-35 MB").default(512),
  RETENTION_DAYS: int(0, 3650).default(7),
  FEED: lower(["on", "off"] as const).default("on"),
  OUTBOX_POLL_INTERVAL_MS: int(5, 60_000).default(100),
  // With the defaults a claim is exactly what the lease covers (src/outbox/lease.ts): 2 rounds of 64 sends of up to 10 s.
  OUTBOX_BATCH_SIZE: int(1, 1000).default(128),
  OUTBOX_CONCURRENCY: int(1, 256).default(64),
  OUTBOX_LEASE_MS: int(1000, 3_600_000).default(30_000),
  OUTBOX_MAX_ATTEMPTS: int(1, 100).default(10),
  OUTBOX_BASE_BACKOFF_MS: int(10, 600_000).default(1000),
  OUTBOX_MAX_BACKOFF_MS: int(100, 86_400_000).default(300_000),
  AUTH_MODE: lower(["none", "entra"] as const).default("none"),
  AUTH_ALLOW_INSECURE: bool.default(false),
  AUTH_TENANT_ID: csv.optional(),
  AUTH_AUDIENCES: csv.default(["https://graph.microsoft.com", "00000003-0000-0000-c000-000000000000"]),
  AUTH_OPENID_METADATA_URL: z.url().optional(),
  AUTH_APP_HOSTS: z.string().min(1).optional(),
  AUTH_APP_HOSTS_FILE: z.string().min(1).optional(),
  ADMIN_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  MAX_BODY_BYTES: int(1024, 10_485_760).default(65_536),
  RATE_LIMIT_PER_MINUTE: int(0, 1_000_000).default(6000),
  RATE_LIMIT_STATUS: z.coerce.number().pipe(z.union([z.literal(429), z.literal(406)], { message: "use 429 or 406" })).default(429),
  REQUEST_TIMEOUT_MS: int(1000, 600_000).default(30_000),
  HEADERS_TIMEOUT_MS: int(1000, 600_000).default(10_000),
  // Node's own default (5 s) makes busy clients reconnect often, and behind a proxy with a longer
  // idle timeout it races the proxy's reuse of the connection (docs/configuration.md).
  KEEP_ALIVE_TIMEOUT_MS: int(1000, 3_600_000).default(65_000),
  MAX_HEADER_BYTES: int(1024, 1_048_576).default(16_384),
  MAX_URL_LENGTH: int(64, 65_536).default(2048),
  LOG_LEVEL: lower(["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const).default("info"),
  SHUTDOWN_TIMEOUT_MS: int(100, 600_000).default(10_000),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).default("graph-notifications-bridge"),
  ROUTING_FILE: z.string().min(1).optional(),
});

type Raw = z.infer<typeof schema>;
export type Config = Readonly<Raw & {
  IOS_FALLBACK_MODE: "immediate" | "deferred"; AUTH_APP_HOSTS_JSON?: string; embeddedEmulator: boolean; outboxOnThread: boolean;
  /** The routing file's table, secrets resolved (ROUTING_FILE); absent: one destination from the env settings. */
  routing?: RoutingTable;
  /** What the routing file does that is allowed but worth a warning at start-up. */
  routingWarnings?: string[];
}>;

const SECRET_KEYS = ["NOTIFICATIONHUBS_CONNECTION_STRING", "GRAPH_CLIENT_SECRET", "EMULATOR_ACCESS_KEY", "ADMIN_TOKEN"] as const;

export function loadConfig(env: Record<string, string | undefined>, readFile: (p: string) => string = (p) => readFileSync(p, "utf8")): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0] ?? "config")}: ${i.message}`));
  }
  const c = parsed.data;
  const problems = crossCheck(c);
  let appHostsJson = c.AUTH_APP_HOSTS;
  if (!appHostsJson && c.AUTH_APP_HOSTS_FILE) {
    try {
      appHostsJson = readFile(c.AUTH_APP_HOSTS_FILE);
    } catch (e) {
      problems.push(`AUTH_APP_HOSTS_FILE: cannot read ${c.AUTH_APP_HOSTS_FILE} (${(e as Error).message})`);
    }
  }
  const routing = c.ROUTING_FILE ? readRouting(c, env, readFile, problems) : undefined;
  if (routing) problems.push(...crossCheckRouting(c, routing.table));
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze({
    ...c,
    IOS_FALLBACK_MODE: c.IOS_FALLBACK_MODE ?? (c.DELIVERY_MODE === "outbox" ? "deferred" : "immediate"),
    AUTH_APP_HOSTS_JSON: appHostsJson,
    embeddedEmulator: c.BRIDGE_STRATEGY === "hubs" && !c.NOTIFICATIONHUBS_CONNECTION_STRING && !routing,
    ...(routing ? { routing: routing.table, routingWarnings: routing.warnings } : {}),
    // An in-memory SQLite database lives in one connection, so its outbox stays on the main loop.
    outboxOnThread: c.OUTBOX_THREAD && c.BRIDGE_ROLE === "all" && c.BRIDGE_STRATEGY === "hubs" && c.DELIVERY_MODE === "outbox" && !c.DATABASE_URL.startsWith("sqlite::memory:"),
  });
}

/**
 * Reads and checks ROUTING_FILE (at start-up, and again on every reload): `env:NAME` secrets are
 * read from `env`, the environment the caller passes in. Throws RoutingFileError.
 */
export function loadRoutingFile(
  c: Pick<Raw, "NH_ALLOW_INSECURE_HTTP"> & { ROUTING_FILE?: string },
  env: Record<string, string | undefined>,
  readFile: (p: string) => string = (p) => readFileSync(p, "utf8"),
): ParsedRouting {
  const path = c.ROUTING_FILE ?? "";
  let text: string;
  try {
    text = readFile(path);
  } catch (e) {
    throw new RoutingFileError([`cannot read ${path} (${(e as Error).message})`]);
  }
  return parseRoutingFile(text, { env, allowInsecureHttp: c.NH_ALLOW_INSECURE_HTTP });
}

function readRouting(c: Raw, env: Record<string, string | undefined>, readFile: (p: string) => string, problems: string[]): ParsedRouting | undefined {
  try {
    return loadRoutingFile(c, env, readFile);
  } catch (e) {
    if (!(e instanceof RoutingFileError)) throw e;
    problems.push(...e.problems.map((p) => `ROUTING_FILE: ${c.ROUTING_FILE}: ${p}`));
    return undefined;
  }
}

const usesGraph = (c: Raw, routing?: RoutingTable): boolean =>
  routing ? Object.values(routing.destinations).some((d) => d.type === "graph") : c.BRIDGE_STRATEGY === "graph";

function crossCheckRouting(c: Raw, routing: RoutingTable): string[] {
  const p: string[] = [];
  if (c.BRIDGE_STRATEGY === "graph") p.push("BRIDGE_STRATEGY: with ROUTING_FILE the destinations decide; name a destination of type \"graph\" in the file instead");
  if (c.DELIVERY_MODE !== "outbox") p.push("ROUTING_FILE: routing delivers through the durable outbox (shadow and per-destination deliveries); use DELIVERY_MODE=outbox");
  if (c.API_PROCESSES > 1) p.push("ROUTING_FILE: a reload would reach one API process only; keep API_PROCESSES at 1 with a routing file (run several bridges on one DATABASE_URL instead)");
  if (usesGraph(c, routing)) p.push(...graphChecks(c, "a destination of type graph"));
  return p;
}

function graphChecks(c: Raw, what: string): string[] {
  const p: string[] = [];
  if (!isLoopbackUrl(c.GRAPH_BASE_URL) && !c.GRAPH_BASE_URL.startsWith("https://"))
    p.push("GRAPH_BASE_URL: plain http is allowed only for loopback hosts (127.0.0.1, ::1, localhost); use https");
  if (c.GRAPH_AUTH === "app") {
    if (!c.GRAPH_TENANT_ID) p.push(`GRAPH_TENANT_ID: ${what} with GRAPH_AUTH=app needs the Entra tenant id`);
    if (!c.GRAPH_CLIENT_ID) p.push(`GRAPH_CLIENT_ID: ${what} with GRAPH_AUTH=app needs the app registration's client id`);
    if (!c.GRAPH_CLIENT_SECRET && !c.GRAPH_CLIENT_CERTIFICATE_PATH)
      p.push("GRAPH_CLIENT_SECRET: set a client secret, or GRAPH_CLIENT_CERTIFICATE_PATH and GRAPH_CLIENT_CERTIFICATE_THUMBPRINT");
    if (c.GRAPH_CLIENT_CERTIFICATE_PATH && !c.GRAPH_CLIENT_CERTIFICATE_THUMBPRINT)
      p.push("GRAPH_CLIENT_CERTIFICATE_THUMBPRINT: needed with GRAPH_CLIENT_CERTIFICATE_PATH");
  }
  return p;
}

function crossCheck(c: Raw): string[] {
  const p: string[] = [];
  if (c.BRIDGE_STRATEGY === "graph") p.push(...graphChecks(c, "BRIDGE_STRATEGY=graph"));
  if (c.BRIDGE_STRATEGY === "hubs" && c.NOTIFICATIONHUBS_CONNECTION_STRING) {
    const problem = connectionStringProblem(c.NOTIFICATIONHUBS_CONNECTION_STRING, { allowInsecureHttp: c.NH_ALLOW_INSECURE_HTTP });
    if (problem) p.push(`NOTIFICATIONHUBS_CONNECTION_STRING: ${problem}`);
  }
  try {
    checkTagTemplate(c.TARGET_TAG_TEMPLATE);
  } catch (e) {
    p.push(`TARGET_TAG_TEMPLATE: ${(e as Error).message}`);
  }
  if (c.UNS_ID_POLICY === "registered-only" && (c.DELIVERY_MODE !== "outbox" || c.BRIDGE_STRATEGY !== "hubs"))
    p.push("UNS_ID_POLICY: registered-only checks X-UNS-ID against the subscriptions in the store; it needs BRIDGE_STRATEGY=hubs and DELIVERY_MODE=outbox");
  if (c.DELIVERY_MODE === "direct" && c.IOS_FALLBACK_MODE === "deferred")
    p.push("IOS_FALLBACK_MODE: deferred needs the durable outbox; use DELIVERY_MODE=outbox or IOS_FALLBACK_MODE=immediate");
  if (c.DELIVERY_MODE === "outbox" && !/^(sqlite:|postgres(ql)?:\/\/)/.test(c.DATABASE_URL))
    p.push("DATABASE_URL: use sqlite:<path>, sqlite::memory: or postgres://user@host:5432/db");
  if (c.AUTH_MODE === "entra") {
    if (!c.AUTH_TENANT_ID?.length) p.push("AUTH_TENANT_ID: AUTH_MODE=entra needs the tenant id(s) whose tokens are accepted (comma-separated)");
    if (!c.AUTH_APP_HOSTS && !c.AUTH_APP_HOSTS_FILE)
      p.push('AUTH_APP_HOSTS: AUTH_MODE=entra needs the app-to-host rules, e.g. {"<app id>": ["notifications.contoso.com"]} (or AUTH_APP_HOSTS_FILE)');
  }
  if (c.AUTH_OPENID_METADATA_URL && !c.AUTH_OPENID_METADATA_URL.startsWith("https://") && !isLoopbackUrl(c.AUTH_OPENID_METADATA_URL))
    p.push("AUTH_OPENID_METADATA_URL: use https: whoever serves it chooses the keys tokens are checked with (plain http only on loopback)");
  if (c.AUTH_MODE === "none" && !isLoopbackHost(c.HOST) && !c.AUTH_ALLOW_INSECURE)
    p.push(`AUTH_MODE: none lets anyone push to every user, so it is allowed only when HOST is a loopback address (127.0.0.1, ::1 or localhost), and HOST is '${c.HOST}'. Set HOST=127.0.0.1, use AUTH_MODE=entra, or set AUTH_ALLOW_INSECURE=true if you really mean it`);
  if (c.BRIDGE_ROLE !== "all" && (c.DELIVERY_MODE !== "outbox" || c.BRIDGE_STRATEGY !== "hubs"))
    p.push("BRIDGE_ROLE: api and worker split the durable outbox between processes; they need BRIDGE_STRATEGY=hubs and DELIVERY_MODE=outbox");
  if (c.BRIDGE_ROLE !== "all" && c.DATABASE_URL.startsWith("sqlite::memory:"))
    p.push("BRIDGE_ROLE: api and worker processes must share a database file or server, not sqlite::memory:");
  if (c.API_PROCESSES > 1 && c.BRIDGE_ROLE !== "all")
    p.push("API_PROCESSES: the cluster's primary delivers and its API processes accept, so it needs BRIDGE_ROLE=all; leave API_PROCESSES at 1 for an api or worker process");
  if (c.API_PROCESSES > 1 && c.DELIVERY_MODE === "outbox" && c.DATABASE_URL.startsWith("sqlite::memory:"))
    p.push("API_PROCESSES: processes must share a database file or server, not sqlite::memory:");
  if (c.DELIVERY_MODE === "outbox" && c.BRIDGE_STRATEGY === "hubs")
    p.push(...leaseProblems({ leaseMs: c.OUTBOX_LEASE_MS, concurrency: c.OUTBOX_CONCURRENCY, sendTimeoutMs: c.NH_TIMEOUT_MS, batchSize: c.OUTBOX_BATCH_SIZE }));
  if (c.OUTBOX_MAX_BACKOFF_MS < c.OUTBOX_BASE_BACKOFF_MS) p.push("OUTBOX_MAX_BACKOFF_MS: must be at least OUTBOX_BASE_BACKOFF_MS");
  return p;
}

/** The config with secrets masked, for start-up logs and `/bridge/config`-style output. */
export function redactConfig(c: Config): Record<string, unknown> {
  const out: Record<string, unknown> = { ...c };
  for (const k of SECRET_KEYS) if (out[k] !== undefined) out[k] = "***";
  if (out.AUTH_APP_HOSTS_JSON !== undefined) out.AUTH_APP_HOSTS_JSON = "(set)";
  if (c.routing) out.routing = redactRouting(c.routing);
  return out;
}

/** Every environment variable the bridge reads (docs/configuration.md documents each one). */
export const CONFIG_KEYS: readonly string[] = Object.keys(schema.shape);
