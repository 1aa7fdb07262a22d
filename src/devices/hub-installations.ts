import type { Installation } from "@azure/notification-hubs";
import type { HubClient } from "../delivery/hubs/hub-client.js";
import { errors } from "../errors.js";
import { toDeliveryError } from "../delivery/hubs/hub-sender.js";
import type { InstallationRecord } from "../store/subscription-store.js";

/** Where the bridge registers installations: the Notification Hubs installations API. */
export interface HubInstallations {
  put(installation: InstallationRecord): Promise<void>;
  /** Removes the installation; one the hub does not know is already gone. */
  remove(installationId: string): Promise<void>;
}

/** Tags the bridge puts on each installation, for operators and the emulator page (never for targeting users). */
export const APP_TAG_PREFIX = "gnb-app:";
export const HOST_TAG_PREFIX = "gnb-host:";
/** Seconds a client is told to wait when the hub is unreachable and said nothing itself. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** The NH installation for a stored one: userId is the subscription id; no user identifier leaves the bridge. */
export function toHubInstallation(i: InstallationRecord): Installation {
  return {
    installationId: i.id,
    platform: i.platform,
    pushChannel: i.pushChannel,
    userId: i.subscriptionId,
    tags: [`${APP_TAG_PREFIX}${i.appId}`, `${HOST_TAG_PREFIX}${i.targetHostName}`],
  } as Installation;
}

/** A hub failure as the client API reports it: 503 with Retry-After when it may pass, 502 otherwise. */
function toClientError(e: unknown, now: Date) {
  const d = toDeliveryError(e, now);
  if (d.retryable) {
    const seconds = d.retryAfterMs !== undefined ? Math.max(1, Math.ceil(d.retryAfterMs / 1000)) : DEFAULT_RETRY_AFTER_SECONDS;
    return errors.upstreamUnavailable(`Notification Hubs is unavailable or throttling (${d.message}); retry later.`, seconds, d);
  }
  return Object.assign(errors.upstreamFailed(`Notification Hubs refused the installation: ${d.message}`), { cause: d });
}

/** The SDK-backed HubInstallations; `client` is made on first use, so a process that never registers never loads the SDK. */
export function createHubInstallations(o: { client: () => Promise<HubClient>; timeoutMs: number; now: () => Date }): HubInstallations {
  const requestOptions = { timeout: o.timeoutMs };
  return {
    async put(installation) {
      try {
        await (await o.client()).createOrUpdateInstallation(toHubInstallation(installation), { requestOptions });
      } catch (e) {
        throw toClientError(e, o.now());
      }
    },
    async remove(installationId) {
      try {
        await (await o.client()).deleteInstallation(installationId, { requestOptions });
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return;
        throw toClientError(e, o.now());
      }
    },
  };
}
