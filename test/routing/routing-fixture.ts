import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { Registry } from "prom-client";
import { loadRoutingFile } from "../../src/config.js";
import { createHubClient } from "../../src/delivery/hubs/hub-client.js";
import { createHubSender } from "../../src/delivery/hubs/hub-sender.js";
import { createNotificationHubsStrategy } from "../../src/delivery/hubs/hubs-strategy.js";
import { createSendDelivery } from "../../src/delivery/hubs/send-delivery.js";
import type { DeliveryStrategy } from "../../src/delivery/strategy.js";
import { createSyncPlanner } from "../../src/feed/plan-sync.js";
import { newTimeOrderedId } from "../../src/ids.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server.js";
import { createOutboxWorker, type OutboxWorker } from "../../src/outbox/worker.js";
import { assembleRouting, type RoutingAssembly } from "../../src/routing/assemble-routing.js";
import { DestinationSet, routedHubSender } from "../../src/routing/destination-set.js";
import { routedHubInstallations } from "../../src/routing/routed-installations.js";
import type { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import { freshSqliteStore } from "../support/hubs-fixture.js";
import { RECORDED_NOW, testApp } from "../support/test-app.js";

export const HUBS = ["hub-a", "hub-b"];
const envName = (hubName: string) => `${hubName.toUpperCase().replace(/-/g, "_")}_CONNECTION_STRING`;

/** One emulator on loopback acting as two hubs, each with its own key (connection string) and installations. */
export async function startHubs(): Promise<{ emulator: RunningEmulator; env: Record<string, string>; register(hub: string, userId: string): Promise<void> }> {
  const emulator = await startEmulator({ port: 0, hubKeys: Object.fromEntries(HUBS.map((h) => [h, Buffer.from(`key of ${h}`).toString("base64")])) });
  const env = Object.fromEntries(HUBS.map((h) => [envName(h), emulator.connectionString("full", h)]));
  return {
    emulator,
    env,
    async register(hub, userId) {
      const admin = createHubClient({ connectionString: env[envName(hub)], hubName: hub, allowInsecureHttp: true });
      await admin.createOrUpdateInstallation({ installationId: `${userId}-pixel`, platform: "fcmv1", pushChannel: `fcm-token-${userId}`, userId });
    },
  };
}

export interface RoutedBridge {
  app: ReturnType<typeof testApp>;
  store: SqliteStore;
  worker: OutboxWorker;
  routing: RoutingAssembly;
  destinations: DestinationSet;
  file: string;
  registry: Registry;
  /** Rewrites the routing file (then reload through routing.state or the endpoint). */
  write(file: object): void;
  close(): Promise<void>;
}

/**
 * The bridge's routing parts over a real store and the real SDK, as the bridge assembles them.
 * `feed`: FEED=on, with the client API's installations registered on the hubs of their host.
 */
export async function routedBridge(o: { env: Record<string, string>; file: object; graph?: DeliveryStrategy; now?: () => Date; feed?: boolean }): Promise<RoutedBridge> {
  const now = o.now ?? (() => RECORDED_NOW);
  const path = join(mkdtempSync(join(tmpdir(), "gnb-routing-")), "routing.json");
  const write = (file: object) => writeFileSync(path, JSON.stringify(file, null, 2));
  write(o.file);
  const load = () => loadRoutingFile({ ROUTING_FILE: path, NH_ALLOW_INSECURE_HTTP: false }, o.env);
  const store = await freshSqliteStore();
  const destinations = new DestinationSet(async (_name, d) => ({
    sender: createHubSender(createHubClient({ connectionString: d.connectionString, hubName: d.hubName, allowInsecureHttp: true }), { timeoutMs: 5000, now }),
    close: async () => undefined,
  }), now);
  const sender = routedHubSender(destinations);
  const hubs = createNotificationHubsStrategy({ sender, tagTemplate: "$UserId:{unsId}", iosFallbackMode: "deferred", now, mode: { kind: "outbox", store }, feed: o.feed });
  const registry = new Registry();
  const routing = await assembleRouting({
    table: load().table, source: path, load, hubs, destinations,
    buildGraph: async () => o.graph ?? Promise.reject(new Error("no graph in this test")),
    defaultTagTemplate: "$UserId:{unsId}", registry, now, logger: pino({ level: "silent" }),
  });
  const worker = createOutboxWorker({ store, send: createSendDelivery({ store, sender }), now, owner: "routing-test", random: () => 0.5, maxAttempts: 3, onAttempt: routing.onAttempt });
  const feed = o.feed ? {
    feed: { planSync: createSyncPlanner({ tagTemplate: "$UserId:{unsId}", newId: newTimeOrderedId }) },
    hubInstallations: routedHubInstallations({
      table: routing.state.current, timeoutMs: 5000, now,
      client: async (d) => createHubClient({ connectionString: d.connectionString, hubName: d.hubName, allowInsecureHttp: true }),
    }),
  } : {};
  const app = testApp({ strategy: routing.strategy, store, now, routing: routing.state, ...feed });
  return { app, store, worker, routing, destinations, file: path, registry, write, close: async () => { await destinations.close(); await store.close(); } };
}

export const hub = (hubName: string) => ({ type: "hubs", connectionString: `env:${envName(hubName)}`, hubName });
