import type { Request, Response } from "express";
import type { AppHostRules } from "../auth/app-hosts.js";
import { errors } from "../errors.js";
import { callerOf } from "../http/authenticate.js";
import { authorizedHostOf, clientUserOf, DEV_USER_HEADER, identifyClientUser } from "../http/me/client-identity.js";
import type { FeedScope } from "../store/feed.js";
import type { SubscriptionStore } from "../store/subscription-store.js";

/** Whose feed a request reads or changes: a subscription id and the (normalised) host. */
export type ResolveFeedOwner = (req: Request, res: Response, targetHostName: unknown) => Promise<FeedScope>;

/** The X-UNS-ID of a user without a subscription for the host: no item has an empty one, so their feed is empty. */
const NO_SUBSCRIPTION = "";

const identifyUser = (req: Request, res: Response) =>
  new Promise<void>((resolve, reject) => identifyClientUser(req, res, (e?: unknown) => (e ? reject(e) : resolve())));

/**
 * The two callers of the feed, each scoped to the host as everywhere else (AUTH_APP_HOSTS):
 * - a signed-in user (delegated token, or X-Bridge-User with AUTH_MODE=none): their own
 *   subscription for the host (docs/designs/2026-12-client-api.md);
 * - the app service (app token, or AUTH_MODE=none without X-Bridge-User): the user it names with
 *   X-UNS-ID, as on the legacy POST. A known subscription id stands for its primary id; one of
 *   another host is a 404.
 */
export function resolveFeedOwner(o: { subscriptions: SubscriptionStore; appHosts?: AppHostRules }): ResolveFeedOwner {
  return async (req, res, rawHost) => {
    const caller = callerOf(res);
    const unsId = req.get("X-UNS-ID")?.trim();
    const appService = caller.kind === "app" || (caller.kind === "anonymous" && unsId !== undefined && req.get(DEV_USER_HEADER) === undefined);
    if (!appService) await identifyUser(req, res); // 401/403 before anything about the host is said
    const targetHostName = authorizedHostOf(res, rawHost, o.appHosts);
    if (appService) {
      if (!unsId) throw errors.missingUnsId();
      if (unsId.length > 1024) throw errors.invalidRequest("The X-UNS-ID header is longer than 1024 characters.");
      const known = await o.subscriptions.getSubscription(unsId);
      if (known && known.targetHostName !== targetHostName) throw errors.notFound("A subscription with this X-UNS-ID for this targetHostName");
      return { unsId: known?.primaryId ?? unsId, targetHostName };
    }
    const user = clientUserOf(res);
    const own = await o.subscriptions.findUserSubscription({ tenantId: user.tenantId, userObjectId: user.userObjectId, targetHostName });
    return { unsId: own?.id ?? NO_SUBSCRIPTION, targetHostName };
  };
}
