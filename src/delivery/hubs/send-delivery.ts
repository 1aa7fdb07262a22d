import { DeliveryNotNeeded } from "../../errors.js";
import type { DeliveryRecord, OutboxQueue } from "../../store/store.js";
import type { HubSender, SendReceipt } from "./hub-sender.js";
import { excludeInstallations } from "./targeting.js";

/**
 * How the outbox sends one delivery through Notification Hubs. The deferred iOS fallback alert
 * is re-targeted at send time to the devices that have not acknowledged the background push.
 */
export function createSendDelivery(o: { store: Pick<OutboxQueue, "listAcknowledgedInstallations">; sender: HubSender }) {
  return async (d: DeliveryRecord): Promise<SendReceipt> => {
    if (d.purpose !== "ios-fallback-alert") return o.sender.send(d.send);
    const acks = await o.store.listAcknowledgedInstallations(d.notificationId);
    if (acks.all) throw new DeliveryNotNeeded("acknowledged by the app before the fallback delay");
    return o.sender.send(d.send, { tagExpression: excludeInstallations(d.send.tagExpression, acks.installationIds) });
  };
}
