import { normaliseHost } from "../auth/app-hosts.js";
import type { Caller } from "../auth/types.js";
import { errors } from "../errors.js";
import type { NotificationTargets } from "../legacy/types.js";
import type { InstallationRecord, SubscriptionStore } from "../store/subscription-store.js";
import type { HubInstallations } from "./hub-installations.js";
import { subscriptionOf } from "./subscriptions.js";

/** Who a legacy POST reaches: the id its sends target, and for a registered subscription, which installations. */
export interface Recipient {
  /** Stored as the notification's unsId: the subscription's primary id when the bridge knows it. */
  unsId: string;
  targets?: NotificationTargets;
}

export type UnsIdPolicy = "any" | "registered-only";

/** Prefix of the bridge's own installation tags; never a recipient (see hub-installations.ts). */
const RESERVED_PREFIX = "gnb-";

export interface RecipientOptions {
  store: SubscriptionStore;
  /** Expired installations found while resolving are removed from it (best effort). */
  hub?: HubInstallations;
  policy: UnsIdPolicy;
  now: () => Date;
  onCleanupError?: (e: unknown) => void;
}

export type ResolveRecipient = (o: { caller: Caller; targetHostName: string; unsId?: string }) => Promise<Recipient>;

const unknownId = () => errors.notFound("The subscription named by X-UNS-ID");

/**
 * The recipient of a legacy POST. A delegated caller reaches its own subscription for the host
 * (created if need be). An X-UNS-ID the bridge knows reaches its user's installations, only for
 * the host it belongs to (any other host: 404). An unknown id keeps today's tag targeting, unless
 * UNS_ID_POLICY=registered-only (404).
 */
export function createRecipientResolver(o: RecipientOptions): ResolveRecipient {
  return async ({ caller, targetHostName, unsId }) => {
    const host = normaliseHost(targetHostName);
    if (caller.kind === "delegated") {
      const own = await subscriptionOf(o.store, caller, host, o.now());
      return registered(o, own.id);
    }
    const id = unsId ?? "";
    const known = await o.store.getSubscription(id);
    if (known) {
      if (known.targetHostName !== host) throw unknownId();
      return registered(o, known.primaryId);
    }
    if (o.policy === "registered-only" || id.startsWith(RESERVED_PREFIX)) throw unknownId();
    return { unsId: id };
  };
}

async function registered(o: RecipientOptions, subscriptionId: string): Promise<Recipient> {
  const now = o.now();
  const all = await o.store.listSubscriptionInstallations(subscriptionId);
  const live = all.filter((i) => i.expiresAt > now);
  const expired = all.filter((i) => i.expiresAt <= now);
  if (expired.length > 0 && o.hub) await removeExpired(o, o.hub, expired);
  return {
    unsId: subscriptionId,
    targets: { subscriptionId, installationCount: live.length, installations: live.map((i) => ({ id: i.id, platform: i.platform })) },
  };
}

/** An expired installation leaves the hub before the send, so the send cannot reach it. */
async function removeExpired(o: RecipientOptions, hub: HubInstallations, expired: InstallationRecord[]): Promise<void> {
  for (const i of expired) {
    try {
      await hub.remove(i.id);
      await o.store.deleteInstallation(i);
    } catch (e) {
      o.onCleanupError?.(e); // the send goes on; the next one tries again
    }
  }
}
