import { expect } from "vitest";
import { spawnBridge, type BridgeProcess } from "./bridge-process.js";
import { expectedDevices, tallyDeliveries, type DeviceHub } from "./device-hub.js";
import { acceptedIds, acceptedTargets, type PostResult } from "./legacy-load.js";
import { listAllDeliveries, statesByNotification, waitForOutboxDrained } from "./outbox-view.js";

const SENT_EVERYWHERE = ["android:sent", "ios:sent", "webpush:sent", "windows:sent"];

/**
 * Restarts a bridge on the same database with NH healthy, waits for the outbox to drain, and checks
 * that every notification answered 201 before the stop was sent to every platform and reached every
 * targeted device. Returns the figures the tests print.
 */
export async function restartAndExpectEveryAcceptedDelivered(o: { hub: DeviceHub; env: Record<string, string>; results: PostResult[]; track: (b: BridgeProcess) => void }) {
  await o.hub.setFaults(undefined);
  const second = await spawnBridge(o.env);
  o.track(second);
  const drainMs = await waitForOutboxDrained(second.url, 30_000);
  const states = statesByNotification(await listAllDeliveries(second.url));
  const notFullySent = acceptedIds(o.results).filter((id) => JSON.stringify((states.get(id) ?? []).sort()) !== JSON.stringify(SENT_EVERYWHERE));
  expect(notFullySent).toEqual([]);
  const tally = tallyDeliveries(o.hub.deliveriesByBridgeId(), expectedDevices(acceptedTargets(o.results)));
  expect(tally.missing).toEqual([]);
  return { drainMs, tally };
}
