import { redactSecrets } from "./observability/redact-secrets.js";
import { isConnectionFailure } from "./store/store-unavailable.js";

/**
 * Start-up failures that name the setting to fix: a step that depends on one setting (the
 * database, a port) runs inside `namingSetting`, and its failure says which setting and what to do.
 */
export class StartupError extends Error {
  constructor(readonly setting: string, message: string, cause: unknown) {
    super(`${setting}: ${message}`, { cause });
    this.name = "StartupError";
  }
}

type Setting = "DATABASE_URL" | "PORT" | "EMULATOR_PORT";

/** Runs `step`; if it fails, rethrows a StartupError naming `setting` (whose value is `value`). */
export async function namingSetting<T>(setting: Setting, value: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    throw new StartupError(setting, adviceFor(setting, value, e), e);
  }
}

function adviceFor(setting: Setting, value: string, e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  const reason = redactSecrets(reasonOf(e));
  if (setting === "DATABASE_URL") return databaseAdvice(redactSecrets(value), String(code ?? ""), reason, isConnectionFailure(e));
  const what = setting === "PORT" ? `the bridge cannot listen on ${value}` : `the embedded Notification Hubs emulator cannot listen on 127.0.0.1:${value}`;
  const other = setting === "EMULATOR_PORT" ? ", or set NOTIFICATIONHUBS_CONNECTION_STRING to use a real hub" : "";
  if (code === "EADDRINUSE") return `${what}: the port is already in use (${reason}). Stop the process using it or choose a free ${setting} (0 picks one)${other}.`;
  if (code === "EACCES") return `${what}: not allowed (${reason}). Ports below 1024 need privileges; choose a ${setting} of 1024 or above${other}.`;
  if (code === "EADDRNOTAVAIL") return `${what}: the address is not one of this machine's (${reason}). Check HOST.`;
  return `${what} (${reason}).`;
}

/** `unreachable`: refused, reset, timed out or dropped before the server answered (isConnectionFailure). */
function databaseAdvice(url: string, code: string, reason: string, unreachable: boolean): string {
  const cannotReach = `cannot reach the database at ${url} (${reason})`;
  if (unreachable)
    return `${cannotReach}. Check that the server is running, that the host and port in DATABASE_URL are right, and that no firewall drops the traffic.`;
  if (code === "3D000") return `${cannotReach}. Create the database, or name an existing one in DATABASE_URL.`;
  if (code === "28000" || code === "28P01") return `${cannotReach}. Check the user and password in DATABASE_URL.`;
  return `cannot open the database at ${url} (${reason}). Check DATABASE_URL, and that the bridge may read and write there.`;
}

/** A readable reason, also for an AggregateError (one connection attempt per address) whose own message is empty. */
function reasonOf(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const inner = e instanceof AggregateError ? e.errors.map((x: unknown) => (x instanceof Error ? x.message : String(x))) : [];
  const code = (e as { code?: unknown }).code;
  const text = [e.message, ...inner].filter(Boolean).join("; ") || e.name;
  return code && !text.includes(String(code)) ? `${String(code)}: ${text}` : text;
}
