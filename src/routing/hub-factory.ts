import type { Config } from "../config.js";
import { createHubDestination } from "../delivery/hubs/hub-destination.js";
import type { HubFactory } from "./destination-set.js";

/**
 * Each hub of the routing file as a destination of its own (createHubDestination: its SDK client,
 * SAS token cache and sender, on NH_SEND_THREADS sender threads when asked), named as in the file.
 */
export function routingHubFactory(c: Pick<Config, "NH_TIMEOUT_MS">, now: () => Date, sendThreads = 0): HubFactory {
  return (name, d) => createHubDestination({ name, connectionString: d.connectionString, hubName: d.hubName, timeoutMs: c.NH_TIMEOUT_MS, sendThreads, now });
}
