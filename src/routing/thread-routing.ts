import type { HubSender } from "../delivery/hubs/hub-sender.js";
import { DestinationSet, routedHubSender, type HubFactory } from "./destination-set.js";
import type { RoutingTable } from "./types.js";

/** The routing side of a thread that sends (the outbox thread): its own hubs, kept in step with the main thread's table. */
export interface ThreadRouting {
  /** Sends each delivery to the hub recorded with it. */
  sender: HubSender;
  /** One destination's readiness, or every hub's in force without a name. */
  checkReady(destination?: string): Promise<void>;
  /** A reloaded table from the main thread; rejects (changing nothing) when a hub cannot be built. */
  apply(table: RoutingTable): Promise<void>;
  close(): Promise<void>;
}

export async function createThreadRouting(table: RoutingTable, factory: HubFactory, now: () => Date): Promise<ThreadRouting> {
  const set = new DestinationSet(factory, now);
  await set.update(table);
  const sender = routedHubSender(set);
  return {
    sender,
    checkReady: (destination) => (destination === undefined ? sender.checkReady() : set.senderFor(destination).checkReady()),
    apply: (t) => set.update(t),
    close: () => set.close(),
  };
}
