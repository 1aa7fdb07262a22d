import { cacheReadiness, type HubSender } from "../delivery/hubs/hub-sender.js";
import { DeliveryError } from "../errors.js";
import type { HubsDestination, RoutingTable } from "./types.js";

/** One built hub: its own NH client (and SAS token cache), sender and cached readiness. */
export interface BuiltHub {
  sender: HubSender;
  close(): Promise<void>;
}

export type HubFactory = (name: string, d: HubsDestination) => Promise<BuiltHub>;

interface Entry {
  def: HubsDestination;
  hub: BuiltHub;
}

const sameHub = (a: HubsDestination, b: HubsDestination) => a.connectionString === b.connectionString && a.hubName === b.hubName;

/**
 * The hubs of the routing in force, built once each, by name. A reload builds the new and changed
 * ones before anything changes (a hub that cannot be built refuses the reload), keeps unchanged ones
 * with their clients, and keeps removed ones as retired: deliveries accepted for them before the
 * reload still go where they were routed. Retired hubs live until the process ends.
 */
export class DestinationSet {
  private active = new Map<string, Entry>();
  private readonly retired = new Map<string, Entry>();
  private defaultName = "";

  constructor(private readonly factory: HubFactory, private readonly now: () => Date) {}

  async update(table: RoutingTable): Promise<void> {
    const next = new Map<string, Entry>();
    const built: Entry[] = [];
    try {
      for (const [name, def] of Object.entries(table.destinations)) {
        if (def.type !== "hubs") continue;
        const current = this.active.get(name) ?? this.retired.get(name);
        if (current && sameHub(current.def, def)) next.set(name, { ...current, def });
        else {
          const hub = await this.factory(name, def);
          const entry = { def, hub: { ...hub, sender: cacheReadiness(hub.sender, this.now) } };
          built.push(entry);
          next.set(name, entry);
        }
      }
    } catch (e) {
      await Promise.allSettled(built.map((b) => b.hub.close()));
      throw e;
    }
    for (const [name, entry] of this.active) {
      if (!next.has(name)) this.retired.set(name, entry);
      else if (next.get(name)!.hub !== entry.hub) void entry.hub.close(); // replaced (new key or hub): sends use the new one
    }
    for (const name of next.keys()) this.retired.delete(name);
    this.active = next;
    this.defaultName = table.default;
  }

  /** The hub deliveries recorded for `name` go to; no name: the routing's default (rows from before routing). */
  senderFor(name: string | undefined): HubSender {
    const key = name ?? this.defaultName;
    const entry = this.active.get(key) ?? this.retired.get(key);
    if (!entry) throw new DeliveryError(`destination '${key}' is not in the routing in force; add it back to ROUTING_FILE and reload (the delivery is retried until then, then dead-lettered; replay it after)`, { retryable: true });
    return entry.hub.sender;
  }

  /** Names of the hubs in force (not the retired ones). */
  names(): string[] {
    return [...this.active.keys()];
  }

  async close(): Promise<void> {
    const all = [...this.active.values(), ...this.retired.values()];
    await Promise.allSettled(all.map((e) => e.hub.close()));
  }
}

/** A HubSender over the set: each send goes to the destination recorded with it at accept time. */
export function routedHubSender(set: DestinationSet): HubSender {
  return {
    send: async (send, o) => set.senderFor(send.destination).send(send, o),
    async checkReady() {
      await Promise.all(set.names().map((n) => set.senderFor(n).checkReady()));
    },
  };
}
