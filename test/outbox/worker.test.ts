import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DeliveryError } from "../../src/errors.js";
import { createOutboxWorker, type AttemptEvent, type OutboxWorkerOptions } from "../../src/outbox/worker.js";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store.js";
import type { DeliveryRecord, SendReceipt } from "../../src/store/store.js";
import { aDeliveryInput, anAcceptInput, at, T0 } from "../store/fixtures.js";

let store: SqliteStore;
let nowMs: number;
let events: AttemptEvent[];
let sent: string[];
const clock = (): Date => new Date(nowMs);
const advanceTo = (ms: number): void => void (nowMs = T0.getTime() + ms);

beforeEach(async () => {
  store = new SqliteStore(":memory:");
  await store.migrate();
  nowMs = T0.getTime();
  events = [];
  sent = [];
});
afterEach(() => store.close());

async function load(n = 1, notification: { expiresAt?: Date } = {}): Promise<string[]> {
  const deliveries = Array.from({ length: n }, () => aDeliveryInput());
  await store.acceptNotification({ ...anAcceptInput({ deliveries, notification }), now: T0 });
  return deliveries.map((d) => d.id);
}

const recordingSend = async (d: DeliveryRecord): Promise<SendReceipt> => {
  sent.push(d.id);
  return { trackingId: `track-${d.id}`, hubNotificationId: "hub-1" };
};

function worker(o: Partial<OutboxWorkerOptions> = {}) {
  return createOutboxWorker({
    store, send: recordingSend, now: clock, owner: "worker-b", leaseMs: 30_000, random: () => 1,
    baseBackoffMs: 1000, maxBackoffMs: 60_000, onAttempt: (e) => events.push(e), ...o,
  });
}

const deliveryState = async (id: string): Promise<DeliveryRecord> =>
  (await store.listDeliveries({ limit: 1000 })).find((d) => d.id === id)!;

describe("outbox worker", () => {
  it("sends a due delivery and records the receipt", async () => {
    const [id] = await load();
    expect(await worker().runOnce()).toBe(1);
    expect(sent).toEqual([id]);
    expect(await deliveryState(id)).toMatchObject({ state: "sent", trackingId: `track-${id}`, hubNotificationId: "hub-1", sentAt: T0 });
    expect(events).toMatchObject([{ deliveryId: id, outcome: "sent", attempt: 1, trackingId: `track-${id}`, platform: "android" }]);
    expect(await worker().runOnce()).toBe(0);
  });

  it("honours Retry-After exactly, then sends when it has passed", async () => {
    const [id] = await load();
    let calls = 0;
    const w = worker({
      send: async (d) => {
        if (++calls === 1) throw new DeliveryError("throttled", { status: 429, retryable: true, retryAfterMs: 7000 });
        return recordingSend(d);
      },
    });
    advanceTo(250);
    await w.runOnce();
    expect(await deliveryState(id)).toMatchObject({ state: "retrying", nextAttemptAt: at(7250), lastStatus: 429, lastError: "throttled" });
    expect(events[0]).toMatchObject({ outcome: "retry", status: 429, nextAttemptAt: at(7250), attempt: 1 });
    advanceTo(7249);
    expect(await w.runOnce()).toBe(0);
    advanceTo(7250);
    expect(await w.runOnce()).toBe(1);
    expect(await deliveryState(id)).toMatchObject({ state: "sent", attempts: 2 });
  });

  it("backs off exponentially while the upstream keeps failing", async () => {
    const [id] = await load();
    const w = worker({ send: async () => Promise.reject(new DeliveryError("unavailable", { status: 503, retryable: true })) });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = nowMs;
      await w.runOnce();
      const next = (await deliveryState(id)).nextAttemptAt.getTime();
      delays.push(next - before);
      nowMs = next;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it("treats an unexpected error as retryable", async () => {
    const [id] = await load();
    await worker({ send: async () => Promise.reject(new Error("socket hang up")) }).runOnce();
    expect(await deliveryState(id)).toMatchObject({ state: "retrying", lastError: "socket hang up" });
  });

  it("dead-letters a permanent failure at once", async () => {
    const [id] = await load();
    let calls = 0;
    const w = worker({ send: async () => { calls++; throw new DeliveryError("bad payload", { status: 400, retryable: false }); } });
    await w.runOnce();
    advanceTo(3_600_000);
    await w.runOnce();
    expect(calls).toBe(1);
    expect(await deliveryState(id)).toMatchObject({ state: "dead-lettered", lastStatus: 400, lastError: "bad payload" });
    expect(events).toMatchObject([{ outcome: "dead-lettered", status: 400 }]);
  });

  it("dead-letters after maxAttempts retryable failures", async () => {
    const [id] = await load();
    const w = worker({ maxAttempts: 3, send: async () => Promise.reject(new DeliveryError("busy", { status: 503, retryable: true })) });
    for (let i = 0; i < 5; i++) {
      await w.runOnce();
      advanceTo(3_600_000 * (i + 1));
    }
    expect(events.map((e) => e.outcome)).toEqual(["retry", "retry", "dead-lettered"]);
    expect(await deliveryState(id)).toMatchObject({ state: "dead-lettered", attempts: 3, lastError: "Gave up after 3 attempts: busy" });
  });

  it("never sends a delivery whose notification has expired", async () => {
    const [id] = await load(1, { expiresAt: at(60_000) });
    advanceTo(60_000);
    expect(await worker().runOnce()).toBe(1);
    expect(sent).toEqual([]);
    expect(await deliveryState(id)).toMatchObject({ state: "expired" });
    expect(events).toMatchObject([{ outcome: "expired" }]);
  });

  it("takes over a crashed worker's claim once its lease expires", async () => {
    const [id] = await load();
    await store.claimDueDeliveries({ owner: "worker-a", now: T0, limit: 10, leaseMs: 30_000 }); // then A dies
    const w = worker();
    advanceTo(29_999);
    expect(await w.runOnce()).toBe(0);
    advanceTo(30_000);
    expect(await w.runOnce()).toBe(1);
    expect(sent).toEqual([id]);
    expect(events).toMatchObject([{ outcome: "sent", attempt: 2 }]);
    expect(await store.markSent({ id, owner: "worker-a", receipt: {}, now: clock() })).toBe(false);
  });

  it("reports a lost claim when the delivery was superseded mid-send", async () => {
    await store.acceptNotification({ ...anAcceptInput({ notification: { appNotificationId: "a" } }), now: T0 });
    const w = worker({
      send: async () => {
        await store.acceptNotification({ ...anAcceptInput({ notification: { appNotificationId: "a" }, contentHash: "new" }), now: clock() });
        return {};
      },
    });
    await w.runOnce();
    expect(events).toMatchObject([{ outcome: "sent", claimLost: true }]);
  });

  it("runs sends of one batch concurrently, bounded", async () => {
    await load(10);
    let inFlight = 0;
    let peak = 0;
    const w = worker({
      batchSize: 10, concurrency: 3,
      send: async (d) => {
        peak = Math.max(peak, ++inFlight);
        await Promise.resolve();
        await Promise.resolve();
        inFlight--;
        return recordingSend(d);
      },
    });
    expect(await w.runOnce()).toBe(10);
    expect(peak).toBe(3);
  });
});

describe("outbox worker when the store cannot write", () => {
  /** The real store, with outcome writes failing as a full disk makes them fail (SQLITE_FULL) while `full`. */
  function fillable() {
    const state = { full: false };
    const refuse = () => Promise.reject(Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }));
    const watched = new Proxy(store, {
      get(target, key, receiver) {
        const v: unknown = Reflect.get(target, key, receiver);
        if (typeof v !== "function") return v;
        const writes = ["markSent", "markRetry", "markFinal", "claimDueDeliveries", "releaseClaims", "probeWrite"];
        return (...args: unknown[]) => (state.full && writes.includes(String(key)) ? refuse() : (v as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
    return { state, store: watched };
  }

  it("never sends again a delivery whose outcome could not be written; writes it once the store takes writes", async () => {
    const ids = await load(3);
    const disk = fillable();
    const errors: unknown[] = [];
    const w = worker({
      store: disk.store, batchSize: 3, concurrency: 1, onError: (e) => errors.push(e),
      send: async (d) => {
        if (sent.length === 0) disk.state.full = true; // the disk fills during the first send
        return recordingSend(d);
      },
    });
    expect(await w.runOnce()).toBe(0);
    expect(sent).toHaveLength(1); // the others were not started once an outcome could not be written
    const [a] = sent;
    expect(w.unrecorded).toBe(1);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/outcome of delivery .* \(sent\) could not be recorded: database or disk is full/);

    advanceTo(60_000); // long after the lease: still nothing is claimed or sent again while writes fail
    expect(await w.runOnce()).toBe(0);
    expect(sent).toEqual([a]);

    disk.state.full = false;
    expect(await w.runOnce()).toBe(3); // a's outcome written first, then the other two (given back, claimed again) sent
    expect(sent).toHaveLength(3);
    expect(new Set(sent)).toEqual(new Set(ids));
    expect(w.unrecorded).toBe(0);
    for (const id of ids) expect(await deliveryState(id)).toMatchObject({ state: "sent", attempts: 1 });
    expect(events.map((e) => [e.deliveryId, e.outcome, e.claimLost])).toEqual(sent.map((id) => [id, "sent", undefined]));
  });

  it("claims nothing while its store health is down, and resumes once a probe writes", async () => {
    const { StoreHealth, watchStore } = await import("../../src/store/store-health.js");
    await load(2);
    const disk = fillable();
    let healthNow = 0;
    const health = new StoreHealth({ probe: () => disk.store.probeWrite(), now: () => healthNow, probeIntervalMs: 1000 });
    const w = worker({ store: watchStore(disk.store, health), health, onError: () => undefined });
    disk.state.full = true;
    await expect(w.runOnce()).rejects.toMatchObject({ code: "SQLITE_FULL" }); // the claim fails: the health goes down
    expect(health.available).toBe(false);
    disk.state.full = false;
    expect(await w.runOnce()).toBe(0); // within the probe interval: paused without asking the store
    expect(sent).toEqual([]);
    healthNow = 1000;
    expect(await w.runOnce()).toBe(2);
    expect(health.available).toBe(true);
  });

  it("does not start a send that could not end inside the lease; gives those claims back", async () => {
    const ids = await load(3);
    const w = worker({
      batchSize: 3, concurrency: 1, leaseMs: 30_000, sendTimeoutMs: 10_000,
      send: async (d) => {
        advanceTo(nowMs - T0.getTime() + 10_000); // each send takes the whole timeout
        return recordingSend(d);
      },
    });
    expect(await w.runOnce()).toBe(2); // the third would have started 20 s into a 30 s lease: 20 + 10 + 1 > 30
    expect(sent).toHaveLength(2);
    const [third] = ids.filter((id) => !sent.includes(id));
    expect(await w.runOnce()).toBe(1); // given back (attempt restored), claimed again, sent
    expect(sent[2]).toBe(third);
    expect(await deliveryState(third)).toMatchObject({ state: "sent", attempts: 1 });
  });

  it("sends the first round of a lease that covers exactly one round, though the claim itself took time", async () => {
    await load(2);
    const claim = store.claimDueDeliveries.bind(store);
    store.claimDueDeliveries = async (a) => {
      advanceTo(nowMs - T0.getTime() + 5); // the claim's own query: the first sends start 5 ms into the lease
      return claim(a);
    };
    // OUTBOX_LEASE_MS = NH_TIMEOUT_MS + 1000, the least config.ts accepts, with a batch of one round.
    const w = worker({ batchSize: 2, concurrency: 2, leaseMs: 2000, sendTimeoutMs: 1000 });
    expect(await w.runOnce()).toBe(2);
    expect(sent).toHaveLength(2);
  });
});
