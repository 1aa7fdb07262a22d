import { pino, stdSerializers, type DestinationStream, type Logger } from "pino";
import { REDACTED, redactSecrets, redactSecretsDeep } from "./redact-secrets.js";

export { redactSecrets } from "./redact-secrets.js";

// Keys whose values are secrets at any depth, compared lower-case. Cheaper than pino wildcard
// redact paths, which cost ~20 µs a line.
const SECRET_KEYS: ReadonlySet<string> = new Set([
  "authorization",
  "x-ms-authorization",
  "cookie",
  "set-cookie",
  // Config keys (src/config.ts); DATABASE_URL only loses its password, via redactSecrets.
  "graph_client_secret",
  "notificationhubs_connection_string",
  "emulator_access_key",
  "admin_token",
  "connectionstring",
  "accesskey",
  "sharedaccesskey",
  "clientsecret",
  "password",
  "token",
  "accesstoken",
  "acktoken",
]);

/** Header paths also redacted by pino itself, which sees objects the walk skips (class instances). */
export const REDACT_PATHS: readonly string[] = [".authorization", ".cookie", '["set-cookie"]'].flatMap((h) => [
  `req.headers${h}`,
  `res.headers${h}`,
  `headers${h}`,
]);

export interface CreateLoggerOptions {
  level: string;
  /** Where JSON lines go; defaults to stdout. Tests pass a stream that captures lines. */
  destination?: DestinationStream;
  /** Fields added to every line, e.g. { service: 'graph-notifications-bridge' }. */
  base?: object;
}

/**
 * JSON-lines logger. Secrets are removed by key (SECRET_KEYS at any depth, plus pino redact paths
 * for headers) and by shape (redactSecrets over messages, string fields and error messages/stacks).
 */
export function createLogger(o: CreateLoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level: o.level,
    base: o.base ?? {},
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: "msg",
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactSecretsDeep(object, SECRET_KEYS) as Record<string, unknown>,
    },
    serializers: { err: serializeError, error: serializeError },
    hooks: {
      logMethod(args, method) {
        const cleaned = args.map((arg) => (typeof arg === "string" ? redactSecrets(arg) : arg));
        return method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
  };
  return o.destination ? pino(options, o.destination) : pino(options);
}

function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return typeof err === "string" ? redactSecrets(err) : err;
  const serialized = stdSerializers.err(err);
  return redactSecretsDeep({ ...serialized }, SECRET_KEYS);
}
