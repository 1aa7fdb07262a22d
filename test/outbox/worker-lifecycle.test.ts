import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createOutboxWorker } from "../../src/outbox/worker.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import type { DeliveryRecord, SendReceipt } from "../../src/store/store.js";
import { aDeliveryInput, anAcceptInput, T0 } from "../store/fixtures.js";

let store: SqliteStore;
beforeEach(async () => {
  store = new SqliteStore(":memory:");
  await store.migrate();
});
afterEach(() => store.close());

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

async function load(n: number): Promise<string[]> {
  const deliveries = Array.from({ length: n }, () => aDeliveryInput());
  await store.acceptNotification({ ...anAcceptInput({ deliveries }), now: T0 });
  return deliveries.map((d) => d.id);
}

describe("outbox worker start/stop", () => {
  it("start() keeps claiming full batches until the outbox is drained", async () => {
    await load(7);
    const allSent = deferred();
    const sent: string[] = [];
    const w = createOutboxWorker({
      store, now: () => T0, owner: "w", batchSize: 2, pollIntervalMs: 60_000,
      send: async (d) => {
        sent.push(d.id);
        if (sent.length === 7) allSent.resolve();
        return {};
      },
    });
    w.start();
    await allSent.promise; // reached without waiting for the 60 s poll interval: full batches loop at once
    await w.stop();
    expect(new Set(sent).size).toBe(7);
    expect(await store.outboxStats(T0)).toMatchObject({ pending: 0, due: 0 });
  });

  it("stop() finishes the in-flight send and gives unstarted claims back", async () => {
    const ids = await load(3);
    const firstStarted = deferred<DeliveryRecord>();
    const releaseFirst = deferred<SendReceipt>();
    const sent: string[] = [];
    const w = createOutboxWorker({
      store, now: () => T0, owner: "w", batchSize: 3, concurrency: 1,
      send: async (d) => {
        sent.push(d.id);
        firstStarted.resolve(d);
        return releaseFirst.promise;
      },
    });
    w.start();
    const first = await firstStarted.promise;
    const stopped = w.stop();
    releaseFirst.resolve({ trackingId: "t1" });
    await stopped;
    expect(sent).toEqual([first.id]);
    const all = await store.listDeliveries({ limit: 10 });
    expect(all.find((d) => d.id === first.id)).toMatchObject({ state: "sent", trackingId: "t1" });
    const rest = all.filter((d) => d.id !== first.id);
    expect(rest.map((d) => d.id).sort()).toEqual(ids.filter((id) => id !== first.id).sort());
    for (const d of rest) {
      expect(d).toMatchObject({ state: "pending", attempts: 0 });
      expect(d.leaseOwner).toBeUndefined();
    }
  });

  it("keeps polling after a failed claim and reports the error", async () => {
    const errors: unknown[] = [];
    const failed = deferred();
    const broken = Object.create(store) as SqliteStore;
    broken.claimDueDeliveries = async () => {
      failed.resolve();
      throw new Error("database is locked");
    };
    const w = createOutboxWorker({ store: broken, now: () => T0, owner: "w", send: async () => ({}), onError: (e) => errors.push(e) });
    w.start();
    await failed.promise;
    await w.stop();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain("database is locked");
  });
});
