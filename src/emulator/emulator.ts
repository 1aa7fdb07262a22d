import { randomUUID } from "node:crypto";
import express from "express";
import { createControlRouter } from "./control-api.js";
import { FaultRegistry, type FaultSpec } from "./faults.js";
import type { HandlerDeps } from "./handler-types.js";
import { HubStore } from "./hub-store.js";
import { buildConnectionString, buildPolicies, DEFAULT_FULL_KEY, DEFAULT_LISTEN_KEY, type KeyKind } from "./keys.js";
import type { EmulatorView } from "./model.js";
import { createNhRouter } from "./nh-router.js";
import { Scheduler, type ScheduledEntry } from "./scheduler.js";
import { deliverSend } from "./send.js";
import { loadStateFile, StateFileWriter } from "./state-file.js";
import { createEmulatorUiRouter } from "./ui/router.js";

export type { FaultSpec } from "./faults.js";

export interface EmulatorLogger {
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface EmulatorOptions {
  /** Key of DefaultFullSharedAccessSignature; defaults to the well-known DEFAULT_FULL_KEY. */
  accessKey?: string;
  /** Key of DefaultListenSharedAccessSignature; defaults to the well-known DEFAULT_LISTEN_KEY. */
  listenKey?: string;
  now?: () => Date;
  /** JSON file loaded at start, saved (debounced) on change and on close. */
  stateFile?: string;
  /**
   * Hubs with a key of their own (hub name -> key of their DefaultFullSharedAccessSignature): such
   * a hub accepts only its own key, so each has its own connection string, as separate hubs do.
   * Other hub names share the emulator's keys.
   */
  hubKeys?: Record<string, string>;
  /** Faults per hub name from the start. */
  faults?: Record<string, FaultSpec>;
  logger?: EmulatorLogger;
  /** Ids of notifications and deliveries; random UUIDs by default. */
  newId?: () => string;
  /** Recorded deliveries kept in memory (the oldest are dropped first); default MAX_DELIVERIES (10,000). */
  maxDeliveries?: number;
}

export interface Emulator {
  /** The Express app (never listens: see startEmulator). */
  app: express.Express;
  /** Read side for the viewer and for tests: hubs, installations, deliveries. */
  view: EmulatorView;
  /** With `hub`: that hub's own connection string when it has a key of its own (hubKeys). */
  connectionString(baseUrl: string, keyName?: KeyKind, hub?: string): string;
  /** Sets (or with undefined clears) the faults of a hub. */
  setFaults(hub: string, spec: FaultSpec | undefined): void;
  /** Fires every scheduled send due by the injected clock; returns how many fired. */
  runDue(): number;
  /** Stops scheduled timers and flushes the state file. */
  close(): Promise<void>;
}

const silentLogger: EmulatorLogger = { info: () => {}, error: () => {} };

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const policies = buildPolicies(options.accessKey ?? DEFAULT_FULL_KEY, options.listenKey ?? DEFAULT_LISTEN_KEY);
  const hubPolicies = new Map(Object.entries(options.hubKeys ?? {}).map(([hub, key]) => [hub, buildPolicies(key, key).full]));
  const saved = options.stateFile ? loadStateFile(options.stateFile) : undefined;

  let writer: StateFileWriter | undefined;
  const markChanged = () => writer?.markChanged();
  const store = new HubStore(markChanged, options.maxDeliveries);
  const faults = new FaultRegistry(options.faults);
  const scheduler = new Scheduler({ now, onChange: markChanged, fire: (entry) => fireScheduled(entry) });
  const handlers: HandlerDeps = { store, scheduler, now, newId: options.newId ?? randomUUID };

  function fireScheduled(entry: ScheduledEntry): void {
    try {
      const scheduled = store.getNotification(entry.send.hub, entry.id);
      deliverSend(handlers, entry.send, entry.id, { enqueueTime: scheduled?.enqueueTime });
      const fired = store.getNotification(entry.send.hub, entry.id);
      if (fired) store.saveNotification({ ...fired, scheduledFor: entry.dueAt });
    } catch (error) {
      logger.error(`scheduled notification ${entry.id} failed`, error);
    }
  }

  if (saved) {
    store.restore(saved);
    saved.scheduled.forEach((entry) => scheduler.add(entry));
  }
  if (options.stateFile) {
    writer = new StateFileWriter(options.stateFile, () => ({ ...store.snapshot(), scheduled: scheduler.list() }), (e) =>
      logger.error(`could not save ${options.stateFile}`, e),
    );
  }

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use("/_emulator/api", createControlRouter({ store, faults, scheduler }));
  app.use("/_emulator", createEmulatorUiRouter(store));
  app.use(
    createNhRouter({
      handlers,
      faults,
      policies: (hub) => (hubPolicies.has(hub) ? [hubPolicies.get(hub)!] : [policies.full, policies.listen]),
      onUnexpectedError: (e) => logger.error("unexpected emulator error", e),
    }),
  );

  return {
    app,
    view: store,
    connectionString: (baseUrl, keyName = "full", hub) => buildConnectionString(baseUrl, (hub !== undefined && hubPolicies.get(hub)) || policies[keyName]),
    setFaults: (hub, spec) => (spec ? faults.set(hub, spec) : faults.clear(hub)),
    runDue: () => scheduler.runDue(),
    close: async () => {
      scheduler.stop();
      await writer?.flush();
    },
  };
}
