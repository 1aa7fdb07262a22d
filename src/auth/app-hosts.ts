import { errors } from "../errors.js";
import type { Caller } from "./types.js";

/** appId -> targetHostNames that app may notify for; '*' allows any host. Keys and hosts lower-case. */
export type AppHostRules = Record<string, string[]>;

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const EXAMPLE = '{"<app id>": ["graphnotifications.contoso.com"]}';

/** Host names compare case-insensitively, without a trailing dot. */
export const normaliseHost = (host: string): string => host.trim().toLowerCase().replace(/\.$/, "");

/** True for a DNS host name (after normaliseHost). */
export const isHostName = (host: string): boolean => HOST_NAME.test(host);

/**
 * Parse AUTH_APP_HOSTS: a JSON object mapping each calling application (client) id to the
 * targetHostNames it may send for. Throws an Error saying what is wrong and what to write instead.
 */
export function parseAppHostRules(json: string): AppHostRules {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new Error(`AUTH_APP_HOSTS is not valid JSON (${(e as Error).message}); expected an object like ${EXAMPLE}.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`AUTH_APP_HOSTS must be a JSON object like ${EXAMPLE}.`);
  }
  const rules: AppHostRules = Object.create(null) as AppHostRules;
  for (const [rawAppId, hosts] of Object.entries(parsed)) {
    const appId = rawAppId.trim().toLowerCase();
    if (appId.length === 0) throw new Error("AUTH_APP_HOSTS has an empty application id as a key.");
    if (!Array.isArray(hosts) || hosts.length === 0) {
      throw new Error(`AUTH_APP_HOSTS["${rawAppId}"] must be a non-empty array of host names, e.g. ["graphnotifications.contoso.com"] or ["*"].`);
    }
    rules[appId] = hosts.map((host: unknown) => {
      if (typeof host !== "string") throw new Error(`AUTH_APP_HOSTS["${rawAppId}"] contains a non-string entry: ${JSON.stringify(host)}.`);
      const normalised = normaliseHost(host);
      if (normalised !== "*" && !HOST_NAME.test(normalised)) {
        throw new Error(`AUTH_APP_HOSTS["${rawAppId}"] contains "${host}", which is neither a host name nor "*".`);
      }
      return normalised;
    });
  }
  return rules;
}

/**
 * The hosts this caller's application may use: undefined for any host ('*', or no token checks
 * with AUTH_MODE=none); 403 when the application has no rule at all.
 */
export function hostsAllowedFor(caller: Caller, rules: AppHostRules | undefined): string[] | undefined {
  if (!rules || caller.kind === "anonymous") return undefined;
  const allowed = Object.hasOwn(rules, caller.appId.toLowerCase()) ? rules[caller.appId.toLowerCase()] : undefined;
  if (!allowed) throw errors.forbidden(`Application ${caller.appId} is not allowed to send notifications through this service.`);
  return allowed.includes("*") ? undefined : allowed;
}

/** Throw 403 unless this caller's application may send notifications for targetHostName. */
export function authorizeTargetHost(caller: Caller, targetHostName: string, rules: AppHostRules): void {
  if (caller.kind === "anonymous") return;
  const allowed = Object.hasOwn(rules, caller.appId.toLowerCase()) ? rules[caller.appId.toLowerCase()] : undefined;
  if (!allowed) {
    throw errors.forbidden(`Application ${caller.appId} is not allowed to send notifications through this service.`);
  }
  const host = normaliseHost(targetHostName);
  if (!allowed.includes("*") && !allowed.includes(host)) {
    throw errors.forbidden(`Application ${caller.appId} is not allowed to send notifications for this targetHostName.`);
  }
}
