import type { NotificationHubsClient, NotificationHubsClientOptions } from "@azure/notification-hubs";
import { createClientContext, createOrUpdateInstallation, deleteInstallation, getInstallation, sendNotification } from "@azure/notification-hubs/api";
import { emulatorClientOptions, isHttpEndpoint } from "../../emulator/client-options.js";
import { cacheSasTokens } from "./sas-token-cache.js";

export interface HubClientOptions {
  connectionString: string;
  hubName: string;
  /** Let the SDK talk plain http (loopback emulator, or an explicit opt-in checked by config). */
  allowInsecureHttp: boolean;
}

/** The SDK operations the bridge uses, with the signatures of the SDK's own client. */
export type HubClient = Pick<NotificationHubsClient, "sendNotification" | "getInstallation" | "createOrUpdateInstallation" | "deleteInstallation">;

/**
 * The SDK's operations (its `api` entry, one function per operation) over one client context,
 * with SAS tokens reused (cacheSasTokens) and the SDK's own retries turned off: its default
 * pipeline retries POST sends on 429/503/5xx, which can push twice. The bridge's outbox owns retries.
 */
export function createHubClient(o: HubClientOptions): HubClient {
  const options: NotificationHubsClientOptions = { retryOptions: { maxRetries: 0 } };
  const context = cacheSasTokens(createClientContext(o.connectionString, o.hubName, o.allowInsecureHttp ? emulatorClientOptions(options) : options));
  return {
    sendNotification: (notification, opts) => sendNotification(context, notification, opts),
    getInstallation: (id, opts) => getInstallation(context, id, opts),
    createOrUpdateInstallation: (installation, opts) => createOrUpdateInstallation(context, installation, opts),
    deleteInstallation: (id, opts) => deleteInstallation(context, id, opts),
  };
}

/** http endpoints are allowed when the connection string points at loopback or config opted in. */
export const endpointIsHttp = isHttpEndpoint;
