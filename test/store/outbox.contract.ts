import { describe, expect, it } from "vitest";
import { aDeliveryInput, anAcceptInput, at, T0 } from "./fixtures.js";
import type { StoreRef } from "./store.contract.js";

export function describeOutboxContract(ref: StoreRef): void {
  const load = async (dueOffsets: number[]): Promise<string[]> => {
    const deliveries = dueOffsets.map((ms) => aDeliveryInput({ dueAt: at(ms) }));
    await ref.store.acceptNotification({ ...anAcceptInput({ deliveries }), now: T0 });
    return deliveries.map((d) => d.id);
  };
  const claim = (owner: string, nowMs: number, limit = 10, leaseMs = 30_000) =>
    ref.store.claimDueDeliveries({ owner, now: at(nowMs), limit, leaseMs });

  describe("claiming", () => {
    it("claims only due deliveries, oldest first, up to the limit, with a lease and one more attempt", async () => {
      const [a, b, c, notYet] = await load([300, 100, 200, 5000]);
      const claimed = await claim("w1", 1000, 2);
      expect(claimed.map((d) => d.id)).toEqual([b, c]);
      expect(claimed[0]).toMatchObject({ leaseOwner: "w1", leaseExpiresAt: at(31_000), attempts: 1, state: "pending", updatedAt: at(1000) });
      expect((await claim("w1", 1000)).map((d) => d.id)).toEqual([a]);
      expect(await claim("w2", 1000)).toEqual([]);
      expect((await claim("w2", 5000)).map((d) => d.id)).toEqual([notYet]);
    });

    it("lets another owner take over a claim once its lease expires; the first owner's result is then refused", async () => {
      const [id] = await load([0]);
      await claim("crashed", 0, 10, 1000);
      expect(await claim("w2", 999)).toEqual([]);
      const [taken] = await claim("w2", 1000);
      expect(taken).toMatchObject({ id, leaseOwner: "w2", attempts: 2 });
      expect(await ref.store.markSent({ id, owner: "crashed", receipt: {}, now: at(1001) })).toBe(false);
      expect(await ref.store.markSent({ id, owner: "w2", receipt: { trackingId: "t" }, now: at(1002) })).toBe(true);
    });

    it("gives claims back on release, restoring the attempt count", async () => {
      const [id] = await load([0]);
      await claim("w1", 0);
      expect(await ref.store.releaseClaims({ owner: "w1", now: at(5) })).toBe(1);
      expect(await ref.store.releaseClaims({ owner: "w1", now: at(6) })).toBe(0);
      const [again] = await claim("w2", 10);
      expect(again).toMatchObject({ id, leaseOwner: "w2", attempts: 1 });
    });
  });

  describe("recording results", () => {
    it("markSent stores the receipt, clears the lease and ends the delivery", async () => {
      const [id] = await load([0]);
      await claim("w1", 0);
      const receipt = { hubNotificationId: "hub-1", trackingId: "track-1", correlationId: "corr-1" };
      expect(await ref.store.markSent({ id, owner: "w2", receipt, now: at(10) })).toBe(false);
      expect(await ref.store.markSent({ id, owner: "w1", receipt, now: at(10) })).toBe(true);
      expect(await ref.store.markSent({ id, owner: "w1", receipt, now: at(11) })).toBe(false);
      const [d] = (await ref.store.listDeliveries({ limit: 10 }));
      expect(d).toMatchObject({ state: "sent", sentAt: at(10), updatedAt: at(10), ...receipt, attempts: 1 });
      expect(d.leaseOwner).toBeUndefined();
      expect(d.leaseExpiresAt).toBeUndefined();
      expect(await claim("w1", 100_000)).toEqual([]);
    });

    it("records outcomes submitted together (one write) each on its own terms", async () => {
      const [a, b, c, d] = await load([0, 0, 0, 0]);
      await claim("w1", 0);
      const results = await Promise.all([
        ref.store.markSent({ id: a, owner: "w1", receipt: { trackingId: "ta" }, now: at(10) }),
        ref.store.markSent({ id: b, owner: "someone-else", receipt: { trackingId: "tb" }, now: at(10) }), // not the claim holder
        ref.store.markRetry({ id: c, owner: "w1", error: "429", status: 429, nextAttemptAt: at(5000), now: at(10) }),
        ref.store.markFinal({ id: d, owner: "w1", state: "dead-lettered", error: "400 bad payload", status: 400, now: at(10) }),
      ]);
      expect(results).toEqual([true, false, true, true]);
      const byId = new Map((await ref.store.listDeliveries({ limit: 10 })).map((x) => [x.id, x]));
      expect(byId.get(a)).toMatchObject({ state: "sent", trackingId: "ta" });
      expect(byId.get(b)).toMatchObject({ state: "pending", leaseOwner: "w1" });
      expect(byId.get(c)).toMatchObject({ state: "retrying", lastStatus: 429, nextAttemptAt: at(5000) });
      expect(byId.get(d)).toMatchObject({ state: "dead-lettered", lastError: "400 bad payload", lastStatus: 400 });
    });

    it("markRetry schedules the next attempt and records the failure", async () => {
      const [id] = await load([0]);
      await claim("w1", 0);
      expect(await ref.store.markRetry({ id, owner: "w1", error: "throttled", status: 429, nextAttemptAt: at(7000), now: at(10) })).toBe(true);
      const [d] = await ref.store.listDeliveries({ state: "retrying", limit: 10 });
      expect(d).toMatchObject({ id, lastError: "throttled", lastStatus: 429, nextAttemptAt: at(7000), attempts: 1 });
      expect(await claim("w1", 6999)).toEqual([]);
      expect(await claim("w1", 7000)).toMatchObject([{ id, attempts: 2, state: "retrying" }]);
    });

    it.each(["dead-lettered", "expired", "cancelled"] as const)("markFinal %s ends the delivery", async (state) => {
      const [id] = await load([0]);
      await claim("w1", 0);
      expect(await ref.store.markFinal({ id, owner: "other", state, error: "x", now: at(5) })).toBe(false);
      expect(await ref.store.markFinal({ id, owner: "w1", state, error: "bad request", status: 400, now: at(5) })).toBe(true);
      expect(await ref.store.listDeliveries({ state, limit: 10 })).toMatchObject([{ id, lastError: "bad request", lastStatus: 400 }]);
      expect(await claim("w1", 100_000)).toEqual([]);
    });
  });

  describe("listing, replay and stats", () => {
    it("pages deliveries by id and filters by state", async () => {
      const ids = (await load([0, 0, 0, 0, 0])).sort();
      const page1 = await ref.store.listDeliveries({ limit: 2 });
      const page2 = await ref.store.listDeliveries({ limit: 2, after: page1[1].id });
      const page3 = await ref.store.listDeliveries({ limit: 2, after: page2[1].id });
      expect([...page1, ...page2, ...page3].map((d) => d.id)).toEqual(ids);
      expect(await ref.store.listDeliveries({ state: "sent", limit: 10 })).toEqual([]);
    });

    it("replays a dead-lettered or expired delivery as pending now with attempts reset, and nothing else", async () => {
      const [dead, expired, sent, pending] = await load([0, 0, 0, 0]);
      await claim("w", 0);
      await ref.store.markFinal({ id: dead, owner: "w", state: "dead-lettered", error: "400", now: at(1) });
      await ref.store.markFinal({ id: expired, owner: "w", state: "expired", error: "late", now: at(1) });
      await ref.store.markSent({ id: sent, owner: "w", receipt: {}, now: at(1) });
      await ref.store.releaseClaims({ owner: "w", now: at(1) });
      expect(await ref.store.replayDelivery({ id: dead, now: at(50) })).toMatchObject({ id: dead, state: "pending", attempts: 0, nextAttemptAt: at(50) });
      expect(await ref.store.replayDelivery({ id: expired, now: at(50) })).toMatchObject({ state: "pending", attempts: 0 });
      expect(await ref.store.replayDelivery({ id: sent, now: at(50) })).toBeUndefined();
      expect(await ref.store.replayDelivery({ id: pending, now: at(50) })).toBeUndefined();
      expect(await ref.store.replayDelivery({ id: "unknown", now: at(50) })).toBeUndefined();
      expect((await claim("w", 50)).map((d) => d.id).sort()).toEqual([dead, expired, pending].sort());
    });

    it("refuses to replay a dead letter once its notification has expired, and reads one delivery by id", async () => {
      const [dead] = await load([0]);
      await claim("w", 0);
      await ref.store.markFinal({ id: dead, owner: "w", state: "dead-lettered", error: "401", now: at(1) });
      expect(await ref.store.replayDelivery({ id: dead, now: at(24 * 60 * 60 * 1000) })).toBeUndefined(); // the fixture expires at 24 h
      expect(await ref.store.getDelivery(dead)).toMatchObject({ id: dead, state: "dead-lettered", expiresAt: at(24 * 60 * 60 * 1000) });
      expect(await ref.store.getDelivery("unknown")).toBeUndefined();
      expect(await claim("w", 24 * 60 * 60 * 1000)).toEqual([]);
    });

    it("reports due, pending, oldest due age and dead letters", async () => {
      expect(await ref.store.outboxStats(T0)).toEqual({ due: 0, pending: 0, oldestDueAgeMs: 0, deadLettered: 0 });
      const [leased, dead] = await load([0, 0]);
      await load([100, 200, 60_000]);
      await ref.store.claimDueDeliveries({ owner: "w", now: T0, limit: 2, leaseMs: 30_000 });
      await ref.store.markFinal({ id: dead, owner: "w", state: "dead-lettered", error: "x", now: T0 });
      expect(leased).toBeDefined();
      expect(await ref.store.outboxStats(at(1000))).toEqual({ due: 2, pending: 4, oldestDueAgeMs: 900, deadLettered: 1 });
    });
  });
}
