import type { FaultSpec } from "../../src/emulator/emulator.js";
import type { RecordedDelivery } from "../../src/emulator/model.js";
import type { RunningEmulator } from "../../src/emulator/server.js";
import { devicesFor, startHubsFixture } from "../support/hubs-fixture.js";

/** NOTIFICATION_HUB_NAME's default: the spawned bridges use it. */
export const HUB = "bridge";

/** One installation per platform, registered through the SDK the way devices do. */
export const devicesOf = devicesFor;

export interface DeviceHub {
  emulator: RunningEmulator;
  connectionString: string;
  register(userId: string): Promise<string[]>;
  setFaults(spec: FaultSpec | undefined): Promise<void>;
  /** Recorded deliveries grouped by the bridge notification id found in their payload. */
  deliveriesByBridgeId(): Map<string, RecordedDelivery[]>;
  close(): Promise<void>;
}

/**
 * Recorded deliveries a device hub keeps: more than any load test here sends (a fast bridge sends
 * well over the emulator's default 10,000 in a few seconds of load), so a count is never short
 * because the oldest were dropped.
 */
const DEVICE_HUB_MAX_DELIVERIES = 2_000_000;

/** An emulator in the test process that the spawned bridges send to. */
export async function startDeviceHub(): Promise<DeviceHub> {
  const base = await startHubsFixture(HUB, { maxDeliveries: DEVICE_HUB_MAX_DELIVERIES });
  const { emulator } = base;
  return {
    ...base,
    // Through the control API, as an operator would inject them.
    async setFaults(spec) {
      const url = `${emulator.url}/_emulator/api/hubs/${HUB}/faults`;
      const res = spec
        ? await fetch(url, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(spec) })
        : await fetch(url, { method: "DELETE" });
      if (!res.ok) throw new Error(`setting faults failed: ${res.status} ${await res.text()}`);
    },
    deliveriesByBridgeId() {
      // A dropped record would look like a lost delivery: refuse to count rather than blame the bridge.
      const dropped = emulator.emulator.view.droppedDeliveries();
      if (dropped > 0) throw new Error(`the device hub dropped ${dropped} recorded deliveries (more than ${DEVICE_HUB_MAX_DELIVERIES}): raise DEVICE_HUB_MAX_DELIVERIES or send less`);
      const byId = new Map<string, RecordedDelivery[]>();
      for (const d of emulator.emulator.view.listDeliveries({ hub: HUB })) {
        const id = readBridgeId(d);
        if (!id) throw new Error(`delivery ${d.id} (${d.platform}) carries no gnb id: ${d.body.slice(0, 200)}`);
        byId.set(id, [...(byId.get(id) ?? []), d]);
      }
      return byId;
    },
  };
}

/** The bridge id from the metadata each platform carries (docs/mapping.md): `gnb.id` or FCM's `gnb_id`. */
export function readBridgeId(d: RecordedDelivery): string | undefined {
  switch (d.platform) {
    case "apns":
    case "browser":
      return (JSON.parse(d.body) as { gnb?: { id?: string } }).gnb?.id;
    case "fcmv1":
      return (JSON.parse(d.body) as { message?: { data?: { gnb_id?: string } } }).message?.data?.gnb_id;
    case "wns": {
      const launch = /launch="([^"]*)"/.exec(d.body)?.[1];
      return launch ? (JSON.parse(unescapeXml(launch)) as { gnb?: { id?: string } }).gnb?.id : undefined;
    }
    default:
      return undefined;
  }
}

function unescapeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

export interface DeliveryTally {
  /** Accepted notifications with at least one device that never received them. */
  missing: string[];
  /** Recorded deliveries beyond the first per (notification, device). */
  duplicates: number;
  /** Notifications delivered that were never answered 201 (committed just before a crash). */
  unanswered: number;
}

/** Compares what devices received with what was accepted: notification id → the devices it targets. */
export function tallyDeliveries(byId: Map<string, RecordedDelivery[]>, expected: Map<string, string[]>): DeliveryTally {
  const missing = [...expected].filter(([id, devices]) => {
    const got = new Set((byId.get(id) ?? []).map((d) => d.installationId));
    return devices.some((device) => !got.has(device));
  }).map(([id]) => id);
  let duplicates = 0;
  for (const records of byId.values()) duplicates += records.length - new Set(records.map((d) => d.installationId)).size;
  const unanswered = [...byId.keys()].filter((id) => !expected.has(id)).length;
  return { missing, duplicates, unanswered };
}

/** The devices each accepted notification should reach, from the user it was sent for. */
export function expectedDevices(targets: Map<string, string>): Map<string, string[]> {
  return new Map([...targets].map(([id, unsId]) => [id, devicesOf(unsId).map((d) => d.installationId)]));
}
