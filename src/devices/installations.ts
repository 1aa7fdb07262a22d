import { errors } from "../errors.js";
import type { InstallationRecord, PutInstallationResult, SubscriptionStore } from "../store/subscription-store.js";
import type { HubInstallations } from "./hub-installations.js";
import type { InstallationRequest } from "./installation-request.js";
import { subscriptionOf } from "./subscriptions.js";
import type { ClientUser } from "../http/me/client-identity.js";

const DAY_MS = 86_400_000;

export interface InstallationDeps {
  store: SubscriptionStore;
  hub: HubInstallations;
  now: () => Date;
  /** How long an installation lives without a new PUT (INSTALLATION_EXPIRY_DAYS). */
  expiryDays: number;
}

/** A strong ETag for an installation: changes with every successful PUT. */
export const installationETag = (i: InstallationRecord): string => `"${i.updatedAt.getTime().toString(36)}"`;

/**
 * Registers (or replaces) the user's installation: stored first, with the ownership check made
 * atomically (another user's id is a 403 and nothing reaches the hub), then written to the hub;
 * when the hub fails the store is put back as it was, so nothing is half-registered.
 */
export async function registerInstallation(d: InstallationDeps, o: { user: ClientUser; id: string; host: string; request: InstallationRequest; ifMatch?: string; ifNoneMatch?: string }) {
  const existing = await d.store.getInstallation(o.id);
  if (existing && (existing.tenantId !== o.user.tenantId || existing.userObjectId !== o.user.userObjectId)) throw takenBySomeoneElse();
  checkPreconditions(existing, o.ifMatch, o.ifNoneMatch);
  const now = d.now();
  const subscription = await subscriptionOf(d.store, o.user, o.host, now);
  const result = await d.store.putInstallation({
    id: o.id, tenantId: o.user.tenantId, userObjectId: o.user.userObjectId, appId: o.user.appId, targetHostName: o.host,
    subscriptionId: subscription.id, platform: o.request.platform, pushChannel: o.request.pushChannel,
    createdAt: now, updatedAt: now, expiresAt: new Date(now.getTime() + d.expiryDays * DAY_MS),
  });
  if (result.outcome === "taken") throw takenBySomeoneElse();
  try {
    await d.hub.put(result.installation);
  } catch (e) {
    await undo(d.store, result).catch(() => undefined); // the store error would hide the hub's; the next PUT repairs either way
    throw e;
  }
  return result;
}

const takenBySomeoneElse = () => errors.forbidden("This installationId is registered by another user; a device's installation belongs to the user who registered it first.");

async function undo(store: SubscriptionStore, r: Exclude<PutInstallationResult, { outcome: "taken" }>): Promise<void> {
  if (r.outcome === "created") await store.deleteInstallation({ ...r.installation });
  else await store.putInstallation(r.previous);
}

function checkPreconditions(existing: InstallationRecord | undefined, ifMatch?: string, ifNoneMatch?: string): void {
  if (ifNoneMatch?.trim() === "*" && existing) throw errors.preconditionFailed("An installation with this id exists already (If-None-Match: *).");
  if (ifMatch !== undefined && !matchesETag(existing, ifMatch)) throw errors.preconditionFailed("The installation changed since you read it (If-Match); read it again.");
}

/** If-Match: `*` or one of a comma-separated list of ETags (RFC 9110 §13.1.1). */
export function matchesETag(existing: InstallationRecord | undefined, header: string): boolean {
  if (!existing) return false;
  const tags = header.split(",").map((t) => t.trim());
  return tags.includes("*") || tags.includes(installationETag(existing));
}

/** Removes the user's installation from the hub, then from the store. Another user's or an unknown id is 404. */
export async function removeInstallation(d: InstallationDeps, o: { user: ClientUser; id: string; ifMatch?: string }): Promise<void> {
  const existing = await ownInstallation(d.store, o.user, o.id);
  if (o.ifMatch !== undefined && !matchesETag(existing, o.ifMatch)) throw errors.preconditionFailed("The installation changed since you read it (If-Match); read it again.");
  await d.hub.remove(o.id);
  await d.store.deleteInstallation({ tenantId: o.user.tenantId, userObjectId: o.user.userObjectId, id: o.id });
}

/** The user's own installation, or a 404 (another user's installations do not exist for this one). */
export async function ownInstallation(store: SubscriptionStore, user: ClientUser, id: string): Promise<InstallationRecord> {
  const found = await store.getInstallation(id);
  if (!found || found.tenantId !== user.tenantId || found.userObjectId !== user.userObjectId) throw errors.notFound(`Installation '${id.slice(0, 128)}'`);
  return found;
}
