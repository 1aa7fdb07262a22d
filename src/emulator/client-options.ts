import type { NotificationHubsClientOptions } from "@azure/notification-hubs";

/**
 * The SDK's HTTP client refuses `http://` unless each request sets `allowInsecureConnection`.
 * This per-call policy sets it, so `new NotificationHubsClient(cs, hub, emulatorClientOptions())`
 * talks to the emulator's plain-HTTP endpoint. Only use it for an `http://` emulator endpoint.
 */
export function emulatorClientOptions(options: NotificationHubsClientOptions = {}): NotificationHubsClientOptions {
  return {
    ...options,
    additionalPolicies: [
      ...(options.additionalPolicies ?? []),
      {
        position: "perCall",
        policy: {
          name: "allowInsecureEmulatorConnection",
          sendRequest: (request, next) => {
            request.allowInsecureConnection = true;
            return next(request);
          },
        },
      },
    ],
  };
}

/** True when a connection string points at plain HTTP (an emulator), where the policy above is needed. */
export function isHttpEndpoint(connectionString: string): boolean {
  return /(^|;)\s*Endpoint\s*=\s*http:\/\//i.test(connectionString);
}
