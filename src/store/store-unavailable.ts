/**
 * Which store failures mean "the database cannot serve right now" (a restart, a lost connection, a
 * full disk, a lock held too long) rather than "this request is wrong" or "the code is wrong". One
 * rule for both backends, used by the error handler (503 + Retry-After), readiness and the outbox
 * (pause, then resume by itself).
 */

/** PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const PG_UNAVAILABLE_CODES = new Set([
  "57P01", // admin_shutdown: terminating connection due to administrator command
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: the database system is starting up / shutting down
  "57P05", // idle_session_timeout
  "53000", // insufficient_resources
  "53100", // disk_full
  "53200", // out_of_memory
  "53300", // too_many_connections
  "58000", // system_error
  "58030", // io_error
  "40P01", // deadlock_detected: retrying is the documented answer
]);

/** Node socket errors that mean the server could not be reached or the connection broke. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** better-sqlite3 primary codes (extended codes such as SQLITE_IOERR_WRITE start with these). */
const SQLITE_UNAVAILABLE_PREFIXES = ["SQLITE_FULL", "SQLITE_IOERR", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_PROTOCOL"];

/** node-postgres reports a dropped or unusable connection by message only. */
const PG_CONNECTION_MESSAGES = [
  "Connection terminated",
  "connection terminated",
  "Client has encountered a connection error",
  "Client was closed and is not queryable",
  "timeout exceeded when trying to connect",
  "Connection terminated due to connection timeout",
];

function classifyOne(e: unknown): boolean {
  if (e === null || typeof e !== "object") return false;
  if (e instanceof StoreUnavailableError) return true;
  const { code } = e as { code?: unknown };
  if (typeof code === "string") {
    if (PG_UNAVAILABLE_CODES.has(code) || code.startsWith("08") && code.length === 5) return true;
    if (SQLITE_UNAVAILABLE_PREFIXES.some((p) => code === p || code.startsWith(`${p}_`))) return true;
  }
  return isConnectionFailure(e);
}

/**
 * The database server could not be reached, or the connection to it broke or timed out (a socket
 * error, or node-postgres's messages for the same): as opposed to a server that answered "no".
 */
export function isConnectionFailure(e: unknown): boolean {
  if (e === null || typeof e !== "object") return false;
  const { code, message } = e as { code?: unknown; message?: unknown };
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  return typeof message === "string" && PG_CONNECTION_MESSAGES.some((m) => message.includes(m));
}

/** True when `e` (or an error in its `cause` chain) means the store is unavailable for now. */
export function isStoreUnavailable(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur !== undefined && cur !== null && depth < 5; depth++) {
    if (classifyOne(cur)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

/** Raised by the bridge itself while it knows the store is down (readiness, the paused outbox). */
export class StoreUnavailableError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}
