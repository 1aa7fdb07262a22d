/**
 * The subscriptions store role: subscription ids (the UNS ID's replacement) and the device
 * installations registered through the client-facing API (`/bridge/me/...`). Implemented by both
 * backends and run by one contract suite (test/store/subscriptions.contract.ts).
 */

/** Who owns a subscription or an installation: one user of one tenant. */
export interface UserKey {
  tenantId: string;
  userObjectId: string;
}

export interface SubscriptionRecord extends UserKey {
  /** The value app services send as X-UNS-ID. */
  id: string;
  /** `minted` by the bridge (one per user and host), or a `legacy` UNS ID the user claimed. */
  kind: "minted" | "legacy";
  /** The user's minted id for this host: the `userId` of every installation, whichever id was sent. */
  primaryId: string;
  /** Lower-case, without a trailing dot. */
  targetHostName: string;
  createdAt: Date;
}

export const INSTALLATION_PLATFORMS = ["apns", "fcmv1", "wns", "browser"] as const;
export type InstallationPlatform = (typeof INSTALLATION_PLATFORMS)[number];

export interface BrowserChannel {
  endpoint: string;
  p256dh: string;
  auth: string;
}

export interface InstallationRecord extends UserKey {
  /** The client's own id for this device and app (NH installationId). */
  id: string;
  /** The calling client application (token appid/azp). */
  appId: string;
  targetHostName: string;
  /** The primary subscription id of the user for the host: the NH installation's userId. */
  subscriptionId: string;
  platform: InstallationPlatform;
  pushChannel: string | BrowserChannel;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
}

export type PutInstallationResult =
  | { outcome: "created"; installation: InstallationRecord }
  | { outcome: "replaced"; installation: InstallationRecord; previous: InstallationRecord }
  /** The id belongs to another user: nothing was written. */
  | { outcome: "taken" };

export interface SubscriptionStore {
  /** The user's minted subscription for the host, created with `newId` when there is none. */
  ensureSubscription(o: UserKey & { targetHostName: string; newId: string }, now: Date): Promise<{ subscription: SubscriptionRecord; created: boolean }>;
  /**
   * Claims a legacy UNS ID for the user and host (pointing at `primaryId`). The first claim wins:
   * when another user or host already holds the id, `conflict` and nothing is written.
   */
  claimLegacySubscription(
    o: UserKey & { id: string; targetHostName: string; primaryId: string },
    now: Date,
  ): Promise<{ subscription: SubscriptionRecord; created: boolean } | { conflict: true }>;
  getSubscription(id: string): Promise<SubscriptionRecord | undefined>;
  /** The user's minted subscription for the host, if any. */
  findUserSubscription(o: UserKey & { targetHostName: string }): Promise<SubscriptionRecord | undefined>;
  /**
   * The user's subscriptions (minted and claimed), ordered by id: for the hosts listed in `hosts`
   * only, or every host without it; `after` is the last id of the previous page.
   */
  listUserSubscriptions(o: UserKey & { hosts?: string[]; limit: number; after?: string }): Promise<SubscriptionRecord[]>;

  /** Creates or replaces an installation, only while it is the same user's (checked atomically). */
  putInstallation(installation: InstallationRecord): Promise<PutInstallationResult>;
  getInstallation(id: string): Promise<InstallationRecord | undefined>;
  /** The user's installations not expired at `now`, ordered by id; `after` is the last id of the previous page. */
  listUserInstallations(o: UserKey & { targetHostName?: string; now: Date; limit: number; after?: string }): Promise<InstallationRecord[]>;
  /** The installations carrying this subscription id as userId, ordered by id: those not expired at `now`, or all without it. */
  listSubscriptionInstallations(subscriptionId: string, now?: Date): Promise<InstallationRecord[]>;
  /** Removes the installation if it is this user's; resolves with what was removed. */
  deleteInstallation(o: UserKey & { id: string }): Promise<InstallationRecord | undefined>;
}
