import { NotificationHubsClient, type NotificationHubsClientOptions } from "@azure/notification-hubs";
import { emulatorClientOptions, isHttpEndpoint } from "../../emulator/client-options.js";
import { cacheSasTokens } from "./sas-token-cache.js";

export interface HubClientOptions {
  connectionString: string;
  hubName: string;
  /** Let the SDK talk plain http (loopback emulator, or an explicit opt-in checked by config). */
  allowInsecureHttp: boolean;
}

/**
 * The SDK client with its own retries turned off: its default pipeline retries POST sends on
 * 429/503/5xx, which can push twice. The bridge's outbox owns retries.
 */
export function createHubClient(o: HubClientOptions): NotificationHubsClient {
  const options: NotificationHubsClientOptions = { retryOptions: { maxRetries: 0 } };
  const client = new NotificationHubsClient(o.connectionString, o.hubName, o.allowInsecureHttp ? emulatorClientOptions(options) : options);
  cacheSasTokens(client);
  return client;
}

/** http endpoints are allowed when the connection string points at loopback or config opted in. */
export const endpointIsHttp = isHttpEndpoint;
