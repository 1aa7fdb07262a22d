import type { DeliveryFilter, InstallationPlatform } from "../model.js";

const PLATFORMS: readonly InstallationPlatform[] = ["apns", "fcmv1", "gcm", "wns", "browser", "adm", "baidu", "xiaomi"];
const FILTER_NAMES = ["hub", "installationId", "userId", "platform", "notificationId"] as const;
const FLAG_VALUES: Record<string, boolean> = { "1": true, true: true, "0": false, false: false };

export interface QueryProblem {
  code: "UNKNOWN_QUERY_PARAMETER" | "INVALID_QUERY_PARAMETER";
  message: string;
  parameters: string[];
}

export type QueryResult<T> = { ok: true; value: T } | { ok: false; problem: QueryProblem };

export interface DeliveryQuery {
  filter: DeliveryFilter;
  /** `view=1`: add the server-side `rendered` description to each delivery. */
  withView: boolean;
}

type RawQuery = Record<string, unknown>;

function invalid(parameter: string, message: string): QueryResult<never> {
  return { ok: false, problem: { code: "INVALID_QUERY_PARAMETER", message, parameters: [parameter] } };
}

/** Unknown names and repeated or nested values are refused, like the rest of the emulator. */
function checkNames(query: RawQuery, allowed: readonly string[]): QueryResult<Record<string, string>> {
  const unknown = Object.keys(query).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    const message = `Unknown query parameter(s): ${unknown.join(", ")}. Allowed: ${allowed.join(", ")}.`;
    return { ok: false, problem: { code: "UNKNOWN_QUERY_PARAMETER", message, parameters: unknown } };
  }
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) {
    if (typeof value !== "string") return invalid(name, `Query parameter ${name} must be given once, as plain text.`);
    values[name] = value;
  }
  return { ok: true, value: values };
}

export function parseDeliveryQuery(query: RawQuery): QueryResult<DeliveryQuery> {
  const checked = checkNames(query, [...FILTER_NAMES, "view"]);
  if (!checked.ok) return checked;
  const { view, ...rest } = checked.value;
  const withView = view === undefined ? false : FLAG_VALUES[view];
  if (withView === undefined) return invalid("view", "Query parameter view must be 1, 0, true or false.");
  const filter: DeliveryFilter = { ...rest };
  if (filter.platform !== undefined) {
    const platform = filter.platform.toLowerCase();
    if (!PLATFORMS.includes(platform as InstallationPlatform)) {
      return invalid("platform", `Unknown platform ${JSON.stringify(filter.platform)}. Allowed: ${PLATFORMS.join(", ")}.`);
    }
    filter.platform = platform;
  }
  return { ok: true, value: { filter, withView } };
}

export function parseInstallationQuery(query: RawQuery): QueryResult<{ hub?: string }> {
  const checked = checkNames(query, ["hub"]);
  if (!checked.ok) return checked;
  return { ok: true, value: { hub: checked.value.hub } };
}
