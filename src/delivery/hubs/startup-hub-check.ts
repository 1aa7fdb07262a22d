import type { Logger } from "pino";
import { DeliveryError } from "../../errors.js";

/**
 * Asks Notification Hubs once, at start-up, whether it takes the hub key. /readyz reports a refusal,
 * but a process that starts "fine" with a wrong key otherwise only shows it as dead letters, so a
 * refusal is logged at error level naming the setting; an unanswered check is only a warning.
 */
export async function reportHubKeyAtStartup(o: { checkReady: () => Promise<void>; logger: Logger; hub: string }): Promise<void> {
  try {
    await o.checkReady();
  } catch (e) {
    const status = e instanceof DeliveryError ? e.status : undefined;
    if (status === 401 || status === 403)
      o.logger.error({ err: e, hub: o.hub, status },
        `NOTIFICATIONHUBS_CONNECTION_STRING: Notification Hubs refuses its key for hub '${o.hub}' (${status}). Every send will be dead-lettered until SharedAccessKeyName and SharedAccessKey name a valid access policy of this hub (copy the connection string from the hub's Access Policies); /readyz reports not-ready meanwhile.`);
    else o.logger.warn({ err: e, hub: o.hub, status }, `Notification Hubs did not pass the start-up check for hub '${o.hub}'; /readyz reports it until it does`);
  }
}
