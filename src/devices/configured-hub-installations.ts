import type { HubClient } from "../delivery/hubs/hub-client.js";
import type { Config } from "../config.js";
import { isHttpEndpoint } from "../emulator/client-options.js";
import { createHubInstallations, type HubInstallations } from "./hub-installations.js";

/**
 * The hub the client API registers installations with: the hubs strategy's own (connection
 * string and hub name from config, or the embedded emulator's). The SDK is loaded on the first
 * registration, so an API loop that never registers never loads it.
 */
export function configuredHubInstallations(c: Config, connectionString: string | undefined, now: () => Date): HubInstallations | undefined {
  if (c.BRIDGE_STRATEGY !== "hubs" || c.ROUTING_FILE || !connectionString) return undefined;
  let client: Promise<HubClient> | undefined;
  const load = async () => {
    const { createHubClient } = await import("../delivery/hubs/hub-client.js");
    return createHubClient({ connectionString, hubName: c.NOTIFICATION_HUB_NAME, allowInsecureHttp: isHttpEndpoint(connectionString) });
  };
  return createHubInstallations({ client: () => (client ??= load()), timeoutMs: c.NH_TIMEOUT_MS, now });
}
