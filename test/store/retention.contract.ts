import { describe, expect, it } from "vitest";
import { aDeliveryInput, anAcceptInput, at, HOUR, T0 } from "./fixtures.js";
import type { StoreRef } from "./store.contract.js";

export function describeRetentionContract(ref: StoreRef): void {
  describe("purgeFinished (retention)", () => {
    it("deletes old notifications with nothing left to send, with their deliveries and acknowledgements, and nothing else", async () => {
      const oldSent = anAcceptInput({ ackToken: "tok", deliveries: [aDeliveryInput(), aDeliveryInput()] });
      const oldPending = anAcceptInput({ notification: { unsId: "uns-bob" } });
      await ref.store.acceptNotification({ ...oldSent, now: T0 });
      await ref.store.acceptNotification({ ...oldPending, now: T0 });
      const claimed = await ref.store.claimDueDeliveries({ owner: "w", now: T0, limit: 10, leaseMs: 60_000 });
      for (const d of claimed.filter((x) => x.notificationId === oldSent.notification.id)) await ref.store.markSent({ id: d.id, owner: "w", receipt: {}, now: at(1) });
      const pendingDelivery = claimed.find((x) => x.notificationId === oldPending.notification.id)!;
      await ref.store.markRetry({ id: pendingDelivery.id, owner: "w", error: "429", status: 429, nextAttemptAt: at(HOUR), now: at(1) });
      expect(await ref.store.acknowledge({ notificationId: oldSent.notification.id, ackToken: "tok", installationId: "i1", now: at(2) })).toBe("ok");
      const recentSent = anAcceptInput({ notification: { unsId: "uns-carol" } });
      await ref.store.acceptNotification({ ...recentSent, now: at(10 * HOUR) });

      expect(await ref.store.purgeFinished({ before: at(5 * HOUR), limit: 100 })).toBe(1);
      expect(await ref.store.getNotification(oldSent.notification.id)).toBeUndefined();
      expect(await ref.store.listAcknowledgedInstallations(oldSent.notification.id)).toEqual({ all: false, installationIds: [] });
      expect((await ref.store.listDeliveries({ limit: 100 })).map((d) => d.notificationId).sort()).toEqual([oldPending.notification.id, recentSent.notification.id].sort());
      expect(await ref.store.getNotification(oldPending.notification.id)).toBeDefined(); // still retrying: kept
      expect(await ref.store.getNotification(recentSent.notification.id)).toBeDefined(); // too recent: kept
      expect(await ref.store.purgeFinished({ before: at(5 * HOUR), limit: 100 })).toBe(0);
    });

    it("takes the oldest first and at most `limit` at a time", async () => {
      const inputs = [3, 1, 2].map((h) => ({ input: anAcceptInput({ notification: { unsId: `uns-${h}` } }), at: at(h * HOUR) }));
      for (const i of inputs) await ref.store.acceptNotification({ ...i.input, now: i.at });
      for (const d of await ref.store.claimDueDeliveries({ owner: "w", now: at(4 * HOUR), limit: 10, leaseMs: 60_000 })) {
        await ref.store.markFinal({ id: d.id, owner: "w", state: "dead-lettered", error: "400", now: at(4 * HOUR) });
      }
      expect(await ref.store.purgeFinished({ before: at(10 * HOUR), limit: 2 })).toBe(2);
      const left = await ref.store.listDeliveries({ state: "dead-lettered", limit: 10 });
      expect(left.map((d) => d.notificationId)).toEqual([inputs[0].input.notification.id]); // the one made at 3 h
      expect(await ref.store.outboxStats(at(10 * HOUR))).toMatchObject({ deadLettered: 1, pending: 0 });
    });
  });
}
