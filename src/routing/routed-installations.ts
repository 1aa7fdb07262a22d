import type { HubClient } from "../delivery/hubs/hub-client.js";
import { createHubInstallations, type HubInstallations } from "../devices/hub-installations.js";
import type { HubsDestination, RoutingTable } from "./types.js";

/**
 * The hubs a device of `targetHostName` is registered with: every hub a notification for that host
 * can be routed to (each matching route's destination, canary and shadow; routes matching on the
 * app alone; the default unless a route takes every app's notifications for the host). So moving
 * a canary's percentage, or rolling back, never leaves a user's devices on the wrong hub.
 */
export function hubsForHost(table: RoutingTable, targetHostName: string): string[] {
  const host = targetHostName.toLowerCase();
  const routes = table.routes.filter((r) => r.match.targetHostName === undefined || r.match.targetHostName === host);
  const takesAll = routes.some((r) => r.match.targetHostName === host && r.match.appId === undefined);
  const names = [...routes.flatMap((r) => [r.destination, r.canary?.destination, r.shadow]), ...(takesAll ? [] : [table.default])];
  return [...new Set(names.filter((n): n is string => n !== undefined && table.destinations[n]?.type === "hubs"))];
}

/**
 * Installations (the client API, /bridge/me/installations) registered with the hubs of their host
 * in the routing in force; removed from every hub in force. One SDK client per hub, made on first use.
 */
export function routedHubInstallations(o: {
  table: () => RoutingTable;
  client: (d: HubsDestination) => Promise<HubClient>;
  timeoutMs: number;
  now: () => Date;
}): HubInstallations {
  const byHub = new Map<string, HubInstallations>();
  const hub = (name: string): HubInstallations => {
    const d = o.table().destinations[name] as HubsDestination;
    const key = `${name}\n${d.hubName}\n${d.connectionString}`;
    let h = byHub.get(key);
    if (!h) byHub.set(key, (h = createHubInstallations({ client: () => o.client(d), timeoutMs: o.timeoutMs, now: o.now })));
    return h;
  };
  return {
    async put(installation) {
      for (const name of hubsForHost(o.table(), installation.targetHostName)) await hub(name).put(installation);
    },
    async remove(installationId) {
      const table = o.table();
      const names = Object.keys(table.destinations).filter((n) => table.destinations[n].type === "hubs");
      for (const name of names) await hub(name).remove(installationId);
    },
  };
}
