import type { HubSender, SendReceipt } from "./delivery/hubs/hub-sender.js";
import { DeliveryNotNeeded } from "./outbox/process-delivery.js";
import type { DeliveryRecord, Store } from "./store/store.js";

/** NH allows at most 6 tags in an expression that is not only ORs: the target plus 5 exclusions. */
const MAX_EXCLUDED = 5;

/** `(target) && !$InstallationId:{a} && ...`: the fallback alert skips devices that acknowledged. */
export function excludeInstallations(tagExpression: string, installationIds: string[]): string {
  const usable = installationIds.filter((id) => /^[A-Za-z0-9_@#.:-]{1,100}$/.test(id)).slice(0, MAX_EXCLUDED);
  if (!usable.length) return tagExpression;
  return [`(${tagExpression})`, ...usable.map((id) => `!$InstallationId:{${id}}`)].join(" && ");
}

/**
 * How the outbox sends one delivery through Notification Hubs. The deferred iOS fallback alert
 * is re-targeted at send time to the devices that have not acknowledged the background push.
 */
export function createDeliverFn(o: { store: Store; sender: HubSender }) {
  return async (d: DeliveryRecord): Promise<SendReceipt> => {
    if (d.purpose !== "ios-fallback-alert") return o.sender.send(d.send);
    const acks = await o.store.listAcknowledgedInstallations(d.notificationId);
    if (acks.all) throw new DeliveryNotNeeded("acknowledged by the app before the fallback delay");
    return o.sender.send(d.send, { tagExpression: excludeInstallations(d.send.tagExpression, acks.installationIds) });
  };
}
