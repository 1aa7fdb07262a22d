import type { RequestHandler, Response } from "express";
import { authorizeTargetHost, isHostName, normaliseHost, type AppHostRules } from "../../auth/app-hosts.js";
import { DELEGATED_PERMISSION } from "../../auth/types.js";
import { errors } from "../../errors.js";
import type { UserKey } from "../../store/subscription-store.js";
import { callerOf } from "../authenticate.js";

/** Who calls the client-facing API (`/bridge/me/...`): one signed-in user, through one client app. */
export interface ClientUser extends UserKey {
  /** The client application (token appid/azp); `local-app` (or X-Bridge-App-Id) with AUTH_MODE=none. */
  appId: string;
}

/** AUTH_MODE=none (development, loopback only): this header names the user. */
export const DEV_USER_HEADER = "X-Bridge-User";
/** AUTH_MODE=none: optional header naming the client app (default `local-app`). */
export const DEV_APP_HEADER = "X-Bridge-App-Id";
/** The tenant every AUTH_MODE=none user belongs to. */
export const DEV_TENANT = "local";
const DEV_VALUE = /^[A-Za-z0-9_@.:-]{1,128}$/;

/**
 * After authenticateCaller: puts the ClientUser on res.locals.clientUser, or fails with a
 * Graph-shaped error. An app-only token is 403 (this API acts for a user); with AUTH_MODE=none
 * a missing or malformed X-Bridge-User is 401.
 */
export const identifyClientUser: RequestHandler = (req, res, next) => {
  const caller = callerOf(res);
  if (caller.kind === "delegated") {
    res.locals.clientUser = { tenantId: caller.tenantId, userObjectId: caller.userObjectId, appId: caller.appId } satisfies ClientUser;
    return next();
  }
  if (caller.kind === "app") {
    return next(errors.forbidden(`This API acts for a signed-in user: call it with a delegated token carrying ${DELEGATED_PERMISSION}, not an application token.`));
  }
  const user = req.get(DEV_USER_HEADER)?.trim();
  const app = req.get(DEV_APP_HEADER)?.trim() || "local-app";
  if (!user || !DEV_VALUE.test(user) || !DEV_VALUE.test(app)) {
    return next(errors.unauthenticated(`With AUTH_MODE=none, name the user in the ${DEV_USER_HEADER} header (1-128 letters, digits or _ @ . : -).`, `${DEV_USER_HEADER} realm="graph-notifications-bridge"`));
  }
  res.locals.clientUser = { tenantId: DEV_TENANT, userObjectId: user, appId: app } satisfies ClientUser;
  next();
};

export const clientUserOf = (res: Response): ClientUser => res.locals.clientUser as ClientUser;

/**
 * The targetHostName of a client request, normalised, once the calling app may use it
 * (AUTH_APP_HOSTS, as for sends): 400 naming the field when it is no host name, 403 otherwise.
 */
export function authorizedHostOf(res: Response, value: unknown, appHosts: AppHostRules | undefined, field = "targetHostName"): string {
  if (typeof value !== "string" || !isHostName(normaliseHost(value))) {
    throw errors.invalidRequest(`'${field}' must be the host name your app service sends notifications for, e.g. notify.contoso.com.`);
  }
  const host = normaliseHost(value);
  if (appHosts) authorizeTargetHost(callerOf(res), host, appHosts);
  return host;
}
