import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "../../src/store/sqlite/sqlite-driver.js";
import { createApp, type AppDeps } from "../../src/app.js";
import { createHubClient } from "../../src/delivery/hubs/hub-client.js";
import { createHubSender } from "../../src/delivery/hubs/hub-sender.js";
import { createNotificationHubsStrategy } from "../../src/delivery/hubs/hubs-strategy.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";

export const HUB = "security-hub";

export interface OutboxApp {
  url: string;
  store: SqliteStore;
  emulator: RunningEmulator;
  /** Rows in the store's notifications and deliveries tables, read through a second connection. */
  countRows(): { notifications: number; deliveries: number };
  /** Sends the emulator received for HUB (via its control API). */
  countSends(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The full app on the real hubs strategy in outbox mode: a SQLite file store and the real SDK
 * pointed at the NH emulator. No outbox worker runs, so anything accepted stays in the store.
 */
export async function startOutboxApp(d: Omit<AppDeps, "strategy" | "store">, o: { maxHeaderSize?: number } = {}): Promise<OutboxApp> {
  const file = join(mkdtempSync(join(tmpdir(), "gnb-security-")), "bridge.db");
  const store = new SqliteStore(file);
  await store.migrate();
  const emulator = await startEmulator({ port: 0 });
  const client = createHubClient({ connectionString: emulator.connectionString(), hubName: HUB, allowInsecureHttp: true });
  const sender = createHubSender(client, { timeoutMs: 5000, now: d.now });
  const strategy = createNotificationHubsStrategy({
    sender, tagTemplate: "$UserId:{unsId}", iosFallbackMode: "deferred", now: d.now, mode: { kind: "outbox", store },
  });
  const app = createApp({ ...d, strategy, store });
  const server = createServer({ maxHeaderSize: o.maxHeaderSize ?? 16_384 }, app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const reader = new Database(file, { readonly: true });
  const count = (table: string) => (reader.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store,
    emulator,
    countRows: () => ({ notifications: count("notifications"), deliveries: count("deliveries") }),
    async countSends() {
      const r = await fetch(`${emulator.url}/_emulator/api/hubs/${HUB}/notifications`);
      return ((await r.json()) as { notifications: unknown[] }).notifications.length;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      reader.close();
      await store.close();
      await emulator.close();
    },
  };
}
