import { randomUUID } from "node:crypto";
import { errors } from "../errors.js";
import type { InstallationRecord, SubscriptionRecord, SubscriptionStore, UserKey } from "../store/subscription-store.js";

/** X-UNS-ID values are at most this long (the legacy endpoint refuses longer ones). */
export const MAX_LEGACY_ID_LENGTH = 1024;
const PRINTABLE = /^[^\p{Cc}]+$/u;

/**
 * A new subscription id: a random UUID. It is a valid NH tag value and `userId` as it stands
 * (encodeUserIdForTag leaves it unchanged) and says nothing about the user.
 */
export const newSubscriptionId = (): string => randomUUID();

export interface SubscribeInput extends UserKey {
  /** Normalised (lower case, no trailing dot). */
  targetHostName: string;
  legacyUnsId?: string;
}

/** 400 naming the field when a legacy UNS ID could not be sent back as an X-UNS-ID header. */
export function checkLegacyUnsId(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() !== value || value.length === 0 || value.length > MAX_LEGACY_ID_LENGTH || !PRINTABLE.test(value)) {
    throw errors.invalidRequest(`'legacyUnsId' must be the UNS ID your app service already stores: 1-${MAX_LEGACY_ID_LENGTH} printable characters without surrounding spaces.`);
  }
  return value;
}

/**
 * The user's subscription id for a host: the minted one (created on first use), or the claimed
 * legacy id. `created` tells the caller to answer 201. A legacy id someone else (or another host)
 * holds is a 409, with nothing written.
 */
export async function subscribe(store: SubscriptionStore, i: SubscribeInput, now: Date, newId = newSubscriptionId): Promise<{ subscription: SubscriptionRecord; created: boolean }> {
  const taken = () => errors.conflict("This legacyUnsId already belongs to another user or targetHostName; request a new subscription id without it.");
  if (i.legacyUnsId !== undefined) {
    const existing = await store.getSubscription(i.legacyUnsId);
    if (existing && !(sameUser(existing, i) && existing.targetHostName === i.targetHostName)) throw taken();
  }
  const minted = await store.ensureSubscription({ tenantId: i.tenantId, userObjectId: i.userObjectId, targetHostName: i.targetHostName, newId: newId() }, now);
  if (i.legacyUnsId === undefined || i.legacyUnsId === minted.subscription.id) return minted;
  const claimed = await store.claimLegacySubscription({ tenantId: i.tenantId, userObjectId: i.userObjectId, targetHostName: i.targetHostName, id: i.legacyUnsId, primaryId: minted.subscription.id }, now);
  if ("conflict" in claimed) throw taken();
  return claimed;
}

const sameUser = (a: UserKey, b: UserKey): boolean => a.tenantId === b.tenantId && a.userObjectId === b.userObjectId;

/** The user's own (minted) subscription id for a host, created if the user has none yet. */
export async function subscriptionOf(store: SubscriptionStore, user: UserKey, targetHostName: string, now: Date): Promise<SubscriptionRecord> {
  return (await store.ensureSubscription({ ...user, targetHostName, newId: newSubscriptionId() }, now)).subscription;
}

/** The user's installations for a host (unexpired), as the bridge registered them. */
export async function installationsOf(store: SubscriptionStore, user: UserKey, targetHostName: string, now: Date): Promise<InstallationRecord[]> {
  const subscription = await store.findUserSubscription({ ...user, targetHostName });
  return subscription ? store.listSubscriptionInstallations(subscription.id, now) : [];
}
