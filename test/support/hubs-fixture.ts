import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Installation } from "@azure/notification-hubs";
import { createHubClient } from "../../src/delivery/hubs/hub-client.js";
import { createHubSender } from "../../src/delivery/hubs/hub-sender.js";
import { createNotificationHubsStrategy } from "../../src/delivery/hubs/hubs-strategy.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import type { Store } from "../../src/store/store.js";
import { RECORDED_NOW, testApp } from "./test-app.js";

export const HUB = "e2e-hub";

/** One installation per platform for `userId`, shaped as real devices register them. */
export function devicesFor(userId: string): Installation[] {
  return [
    { installationId: `${userId}-iphone`, platform: "apns", pushChannel: "a1b2c3d4".repeat(8), userId },
    { installationId: `${userId}-pixel`, platform: "fcmv1", pushChannel: `fcm-token-${userId}`, userId },
    { installationId: `${userId}-surface`, platform: "wns", pushChannel: `https://db5.notify.windows.com/?token=${userId}`, userId },
    { installationId: `${userId}-edge`, platform: "browser", userId, pushChannel: { endpoint: `https://fcm.googleapis.com/fcm/send/${userId}`, p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", auth: "tBHItJI5svbpez7KI4CCXg" } },
  ];
}

export interface HubsFixture {
  emulator: RunningEmulator;
  connectionString: string;
  /** Registers the four devices of `userId` through the SDK; resolves with their installation ids. */
  register(userId: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * An emulator on an ephemeral loopback port, with an SDK client to register devices on `hub`.
 * `maxDeliveries`: recorded deliveries kept (the emulator's default 10,000 when absent).
 */
export async function startHubsFixture(hub = HUB, o: { maxDeliveries?: number } = {}): Promise<HubsFixture> {
  const emulator = await startEmulator({ port: 0, maxDeliveries: o.maxDeliveries });
  const connectionString = emulator.connectionString();
  const admin = createHubClient({ connectionString, hubName: hub, allowInsecureHttp: true });
  return {
    emulator,
    connectionString,
    async register(userId) {
      const devices = devicesFor(userId);
      for (const d of devices) await admin.createOrUpdateInstallation(d);
      return devices.map((d) => d.installationId);
    },
    close: () => emulator.close(),
  };
}

/** The bridge app on the real hubs strategy, sending through the real SDK to the emulator. */
export function hubsApp(f: HubsFixture, o: { mode: "direct" | "outbox"; store?: Store; now?: () => Date; newId?: () => string; iosFallbackMode?: "immediate" | "deferred" }) {
  const now = o.now ?? (() => RECORDED_NOW);
  const client = createHubClient({ connectionString: f.connectionString, hubName: HUB, allowInsecureHttp: true });
  const sender = createHubSender(client, { timeoutMs: 5000, now });
  const strategy = createNotificationHubsStrategy({
    sender,
    tagTemplate: "$UserId:{unsId}",
    iosFallbackMode: o.iosFallbackMode ?? (o.mode === "outbox" ? "deferred" : "immediate"),
    now,
    newId: o.newId,
    mode: o.mode === "outbox" ? { kind: "outbox", store: o.store! } : { kind: "direct" },
  });
  return { app: testApp({ strategy, store: o.store, now, newId: o.newId }), sender };
}

export async function freshSqliteStore(): Promise<SqliteStore> {
  const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), "gnb-e2e-")), "bridge.db"));
  await store.migrate();
  return store;
}
