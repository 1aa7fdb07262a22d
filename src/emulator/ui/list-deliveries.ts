import type { DeliveryFilter, EmulatorView, RecordedDelivery } from "../model.js";
import { latestFeedStates, withFeedState } from "./feed-sync-view.js";
import { findReplacements, readBridgeOrigin } from "./bridge-view.js";
import { describeDelivery, type RenderedDelivery } from "./render-model.js";

export type ListedDelivery = RecordedDelivery & { rendered?: RenderedDelivery };

/** Newest first by `receivedAt`; on equal times the later-recorded one comes first. */
export function sortNewestFirst(deliveries: readonly RecordedDelivery[]): RecordedDelivery[] {
  return deliveries
    .map((delivery, index) => ({ delivery, index, time: Date.parse(delivery.receivedAt) || 0 }))
    .sort((a, b) => b.time - a.time || b.index - a.index)
    .map(({ delivery }) => delivery);
}

export function listDeliveries(view: EmulatorView, filter: DeliveryFilter, withView: boolean): ListedDelivery[] {
  const sorted = sortNewestFirst(view.listDeliveries(filter));
  if (!withView) return sorted;
  // Feed states come from every sync push of the hub, whichever device got it.
  const states = latestFeedStates(view.listDeliveries(filter.hub === undefined ? {} : { hub: filter.hub }));
  const replacedBy = findReplacements(sorted);
  return sorted.map((delivery) => {
    const rendered = withFeedState(delivery, describeDelivery(delivery), states);
    return { ...delivery, rendered: { ...rendered, bridge: readBridgeOrigin(delivery), replacedBy: replacedBy.get(delivery.id) } };
  });
}
