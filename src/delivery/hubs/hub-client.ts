import { NotificationHubsClient } from "@azure/notification-hubs";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";

export interface HubClientOptions {
  connectionString: string;
  hubName: string;
  /** Let the SDK talk plain http (loopback emulator, or an explicit opt-in checked by config). */
  allowInsecureHttp: boolean;
}

/** Marks every request as allowed over http: core-rest-pipeline refuses http otherwise. */
const allowHttpPolicy: PipelinePolicy = {
  name: "gnbAllowInsecureHttp",
  sendRequest: (request, next) => {
    request.allowInsecureConnection = true;
    return next(request);
  },
};

/**
 * The SDK client with its own retries turned off: its default pipeline retries POST sends on
 * 429/503/5xx, which can push twice. The bridge's outbox owns retries.
 */
export function createHubClient(o: HubClientOptions): NotificationHubsClient {
  return new NotificationHubsClient(o.connectionString, o.hubName, {
    retryOptions: { maxRetries: 0 },
    additionalPolicies: o.allowInsecureHttp ? [{ policy: allowHttpPolicy, position: "perCall" }] : [],
  });
}

/** http endpoints are allowed when the connection string points at loopback or config opted in. */
export function endpointIsHttp(connectionString: string): boolean {
  return /Endpoint=http:\/\//i.test(connectionString);
}
