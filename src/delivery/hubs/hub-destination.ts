import type { Config } from "../../config.js";
import { isHttpEndpoint } from "../../emulator/client-options.js";
import { createHubSender, type HubSender } from "./hub-sender.js";
import { createThreadedHubSender } from "./threads/threaded-sender.js";

/** Everything one Notification Hubs destination is made from. */
export interface HubDestinationOptions {
  /** Names the destination in logs and metrics labels; "default" for the single-hub settings. */
  name: string;
  connectionString: string;
  hubName: string;
  /** Per-call limit on the SDK's requests (NH_TIMEOUT_MS). */
  timeoutMs: number;
  /** 0 (default): the SDK runs on this event loop. n > 0: n sender threads, each with its own client. */
  sendThreads?: number;
  now: () => Date;
}

/**
 * One hub the bridge sends to: its own SDK client (and with it its own SAS token cache and
 * connection pool), the sender over it and its readiness check. Nothing in it is shared, so a
 * process can hold several, one per hub.
 */
export interface HubDestination {
  readonly name: string;
  readonly hubName: string;
  /** Sends, and checks readiness (reachable, key accepted) uncached: callers that poll cache it. */
  readonly sender: HubSender;
  /** Stops its sender threads, if any. */
  close(): Promise<void>;
}

/** Builds one destination. The SDK is loaded here, on first use: a loop that never sends never loads it. */
export async function createHubDestination(o: HubDestinationOptions): Promise<HubDestination> {
  const base = { name: o.name, hubName: o.hubName };
  if (o.sendThreads && o.sendThreads > 0) {
    const threaded = createThreadedHubSender({ name: o.name, connectionString: o.connectionString, hubName: o.hubName, timeoutMs: o.timeoutMs }, o.sendThreads);
    return { ...base, sender: threaded, close: () => threaded.close() };
  }
  const { createHubClient } = await import("./hub-client.js");
  const client = createHubClient({ connectionString: o.connectionString, hubName: o.hubName, allowInsecureHttp: isHttpEndpoint(o.connectionString) });
  const sender = createHubSender(client, { timeoutMs: o.timeoutMs, now: o.now });
  return { ...base, sender, close: async () => undefined };
}

/** The destination the single-hub settings (NOTIFICATIONHUBS_CONNECTION_STRING, NOTIFICATION_HUB_NAME) describe. */
export const DEFAULT_DESTINATION = "default";

export function configuredHubDestination(c: Config, o: { connectionString: string; now: () => Date; sendThreads?: number }): HubDestinationOptions {
  return { name: DEFAULT_DESTINATION, connectionString: o.connectionString, hubName: c.NOTIFICATION_HUB_NAME, timeoutMs: c.NH_TIMEOUT_MS, sendThreads: o.sendThreads, now: o.now };
}
