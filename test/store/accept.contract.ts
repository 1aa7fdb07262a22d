import { describe, expect, it } from "vitest";
import { IdempotencyConflictError } from "../../src/store/store.js";
import { aDeliveryInput, anAcceptInput, aNativeSend, at, HOUR, T0 } from "./fixtures.js";
import type { StoreRef } from "./store.contract.js";

export function describeAcceptContract(ref: StoreRef): void {
  // Open several pooled connections first, so the racing transactions really overlap.
  const warmUp = () => Promise.all(Array.from({ length: 6 }, () => ref.store.ping()));

  describe("acceptNotification", () => {
    it("creates the notification and its pending deliveries, round-tripping every field", async () => {
      const input = anAcceptInput({
        notification: { appNotificationId: "app-1", groupName: "g", platforms: ["android", "windows"] },
        idempotencyKey: "key-1",
        deliveries: [aDeliveryInput({ dueAt: at(5) }), aDeliveryInput({ send: aNativeSend({ platform: "windows", format: "windows", purpose: "windows-raw" }) })],
      });
      const result = await ref.store.acceptNotification({ ...input, now: T0 });
      expect(result.outcome).toBe("created");
      expect(result.notification).toMatchObject({
        id: input.notification.id, unsId: "uns-alice", appNotificationId: "app-1", idempotencyKey: "key-1",
        contentHash: "hash-1", response: input.response, ackToken: input.ackToken, state: "live",
        createdAt: T0, expiresAt: input.notification.expiresAt,
      });
      expect(result.notification.replacedBy).toBeUndefined();
      expect(result.notification.body).toEqual(input.notification);
      const found = await ref.store.getNotification(input.notification.id);
      expect(found?.notification).toEqual(result.notification);
      expect(found?.deliveries).toHaveLength(2);
      const first = found!.deliveries.find((d) => d.id === input.deliveries[0].id)!;
      expect(first).toMatchObject({
        notificationId: input.notification.id, platform: "android", purpose: "primary", send: input.deliveries[0].send,
        state: "pending", attempts: 0, nextAttemptAt: at(5), createdAt: T0, updatedAt: T0, expiresAt: input.notification.expiresAt,
      });
      expect(first.leaseOwner).toBeUndefined();
      expect(found!.deliveries.find((d) => d.purpose === "windows-raw")?.platform).toBe("windows");
    });

    it("answers a repeated idempotency key with the same content as a duplicate of the original", async () => {
      const first = anAcceptInput({ idempotencyKey: "k", response: { original: true } });
      await ref.store.acceptNotification({ ...first, now: T0 });
      const again = anAcceptInput({ idempotencyKey: "k", response: { original: false } });
      const result = await ref.store.acceptNotification({ ...again, now: at(HOUR) });
      expect(result.outcome).toBe("duplicate");
      expect(result.notification.id).toBe(first.notification.id);
      expect(result.notification.response).toEqual({ original: true });
      expect(await ref.store.getNotification(again.notification.id)).toBeUndefined();
    });

    it("finds stored rows by X-UNS-ID, appNotificationId and idempotency key whatever characters they hold", async () => {
      // Quotes, backslashes, SQL and non-ASCII: PostgreSQL's look-up travels as literals in the BEGIN round trip.
      for (const odd of ["it's", "back\\slash\\", "'); DROP TABLE notifications; --", "ünï €😀", "E'x'"]) {
        const first = anAcceptInput({ notification: { unsId: `u ${odd}`, appNotificationId: odd }, idempotencyKey: odd });
        expect((await ref.store.acceptNotification({ ...first, now: T0 })).outcome).toBe("created");
        const again = anAcceptInput({ notification: { unsId: `u ${odd}`, appNotificationId: odd }, idempotencyKey: odd });
        const repeat = await ref.store.acceptNotification({ ...again, now: at(1000) });
        expect(repeat).toMatchObject({ outcome: "duplicate", notification: { id: first.notification.id } });
        const replacing = anAcceptInput({ notification: { unsId: `u ${odd}`, appNotificationId: odd }, contentHash: "hash-2" });
        expect((await ref.store.acceptNotification({ ...replacing, now: at(2000) })).outcome).toBe("replaced");
      }
    });

    it("rejects a repeated idempotency key with different content", async () => {
      const first = anAcceptInput({ idempotencyKey: "k" });
      await ref.store.acceptNotification({ ...first, now: T0 });
      const other = anAcceptInput({ idempotencyKey: "k", contentHash: "hash-2" });
      const error = await ref.store.acceptNotification({ ...other, now: at(1000) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyConflictError);
      expect(error).toMatchObject({ idempotencyKey: "k", existingNotificationId: first.notification.id });
      expect(await ref.store.getNotification(other.notification.id)).toBeUndefined();
    });

    it("forgets an idempotency key after 24 hours, and scopes it per X-UNS-ID", async () => {
      await ref.store.acceptNotification({ ...anAcceptInput({ idempotencyKey: "k" }), now: T0 });
      const otherUser = await ref.store.acceptNotification({ ...anAcceptInput({ idempotencyKey: "k", notification: { unsId: "uns-bob" } }), now: at(1) });
      expect(otherUser.outcome).toBe("created");
      const later = await ref.store.acceptNotification({ ...anAcceptInput({ idempotencyKey: "k", contentHash: "other" }), now: at(24 * HOUR + 1) });
      expect(later.outcome).toBe("created");
    });

    it("treats the same appNotificationId with the same content as a duplicate while the first is live", async () => {
      const first = anAcceptInput({ notification: { appNotificationId: "a" } });
      await ref.store.acceptNotification({ ...first, now: T0 });
      const again = anAcceptInput({ notification: { appNotificationId: "a" } });
      const result = await ref.store.acceptNotification({ ...again, now: at(1000) });
      expect(result).toMatchObject({ outcome: "duplicate", notification: { id: first.notification.id } });
      expect(await ref.store.getNotification(again.notification.id)).toBeUndefined();
    });

    it("replaces a live notification with new content: old one marked, its unsent deliveries superseded", async () => {
      const first = anAcceptInput({ notification: { appNotificationId: "a" }, deliveries: [aDeliveryInput(), aDeliveryInput()] });
      await ref.store.acceptNotification({ ...first, now: T0 });
      const [sentOne] = await ref.store.claimDueDeliveries({ owner: "w", now: T0, limit: 1, leaseMs: 1000 });
      await ref.store.markSent({ id: sentOne.id, owner: "w", receipt: {}, now: at(1) });
      const second = anAcceptInput({ notification: { appNotificationId: "a" }, contentHash: "hash-2" });
      const result = await ref.store.acceptNotification({ ...second, now: at(2) });
      expect(result).toMatchObject({ outcome: "replaced", notification: { id: second.notification.id, state: "live" } });
      const old = await ref.store.getNotification(first.notification.id);
      expect(old?.notification).toMatchObject({ state: "replaced", replacedBy: second.notification.id });
      expect(old?.deliveries.map((d) => d.state).sort()).toEqual(["sent", "superseded"]);
      const claimable = await ref.store.claimDueDeliveries({ owner: "w", now: at(10), limit: 10, leaseMs: 1000 });
      expect(claimable.map((d) => d.id)).toEqual([second.deliveries[0].id]);
    });

    it("creates afresh when the notification with that appNotificationId has expired", async () => {
      const first = anAcceptInput({ notification: { appNotificationId: "a", expiresAt: at(HOUR) } });
      await ref.store.acceptNotification({ ...first, now: T0 });
      const again = anAcceptInput({ notification: { appNotificationId: "a" } });
      const result = await ref.store.acceptNotification({ ...again, now: at(HOUR) });
      expect(result.outcome).toBe("created");
      expect((await ref.store.getNotification(first.notification.id))?.notification.state).toBe("replaced");
    });

    it("keeps only one notification when identical requests race", async () => {
      const inputs = Array.from({ length: 6 }, () => anAcceptInput({ notification: { appNotificationId: "race" } }));
      await warmUp();
      const results = await Promise.all(inputs.map((i) => ref.store.acceptNotification({ ...i, now: T0 })));
      expect(results.filter((r) => r.outcome === "created")).toHaveLength(1);
      expect(new Set(results.map((r) => r.notification.id)).size).toBe(1);
      expect(await ref.store.listDeliveries({ limit: 100 })).toHaveLength(1);
    });

    it("keeps only one notification when requests with the same idempotency key race", async () => {
      const inputs = Array.from({ length: 6 }, () => anAcceptInput({ idempotencyKey: "race-key" }));
      await warmUp();
      const results = await Promise.all(inputs.map((i) => ref.store.acceptNotification({ ...i, now: T0 })));
      expect(results.map((r) => r.outcome).sort()).toEqual(["created", "duplicate", "duplicate", "duplicate", "duplicate", "duplicate"]);
      expect(await ref.store.listDeliveries({ limit: 100 })).toHaveLength(1);
    });
  });

  // Accepts submitted together (one turn of the event loop) are grouped into one transaction by
  // both backends; the outcomes must be those of taking them one at a time, in submission order.
  describe("acceptNotification, many submitted together", () => {
    it("a later accept sees the earlier ones: duplicate, replace, conflict and fresh ones side by side", async () => {
      const existing = anAcceptInput({ notification: { appNotificationId: "old", unsId: "uns-carol" } });
      await ref.store.acceptNotification({ ...existing, now: T0 });
      const a1 = anAcceptInput({ notification: { appNotificationId: "a" } });
      const a1Again = anAcceptInput({ notification: { appNotificationId: "a" } });
      const a2 = anAcceptInput({ notification: { appNotificationId: "a" }, contentHash: "hash-2", deliveries: [aDeliveryInput(), aDeliveryInput()] });
      const k1 = anAcceptInput({ idempotencyKey: "k", notification: { unsId: "uns-bob" } });
      const k1Again = anAcceptInput({ idempotencyKey: "k", notification: { unsId: "uns-bob" }, response: { other: true } });
      const kConflict = anAcceptInput({ idempotencyKey: "k", notification: { unsId: "uns-bob" }, contentHash: "hash-3" });
      const replacesOld = anAcceptInput({ notification: { appNotificationId: "old", unsId: "uns-carol" }, contentHash: "hash-9" });
      const fresh = anAcceptInput({ notification: { unsId: "uns-dave" } });
      const all = [a1, a1Again, a2, k1, k1Again, kConflict, replacesOld, fresh];
      const settled = await Promise.allSettled(all.map((i) => ref.store.acceptNotification({ ...i, now: at(5) })));

      const outcome = (i: number) => (settled[i].status === "fulfilled" ? settled[i].value : undefined);
      expect(outcome(0)).toMatchObject({ outcome: "created", notification: { id: a1.notification.id } });
      expect(outcome(1)).toMatchObject({ outcome: "duplicate", notification: { id: a1.notification.id } });
      expect(outcome(2)).toMatchObject({ outcome: "replaced", notification: { id: a2.notification.id, state: "live" } });
      expect(outcome(3)).toMatchObject({ outcome: "created", notification: { id: k1.notification.id } });
      expect(outcome(4)).toMatchObject({ outcome: "duplicate", notification: { id: k1.notification.id, response: k1.response } });
      expect(settled[5].status === "rejected" && settled[5].reason).toBeInstanceOf(IdempotencyConflictError);
      expect(outcome(6)).toMatchObject({ outcome: "replaced", notification: { id: replacesOld.notification.id } });
      expect(outcome(7)).toMatchObject({ outcome: "created" });

      // What was stored: a1 replaced by a2 with its delivery superseded before it was ever sent.
      const storedA1 = await ref.store.getNotification(a1.notification.id);
      expect(storedA1?.notification).toMatchObject({ state: "replaced", replacedBy: a2.notification.id });
      expect(storedA1?.deliveries.map((d) => d.state)).toEqual(["superseded"]);
      expect((await ref.store.getNotification(existing.notification.id))?.notification).toMatchObject({ state: "replaced", replacedBy: replacesOld.notification.id });
      for (const i of [a1Again, k1Again, kConflict]) expect(await ref.store.getNotification(i.notification.id)).toBeUndefined();
      // Only the live ones' deliveries are sent: a2 (2), k1, replacesOld, fresh.
      const claimable = await ref.store.claimDueDeliveries({ owner: "w", now: at(10), limit: 100, leaseMs: 1000 });
      expect(claimable.map((d) => d.notificationId).sort()).toEqual(
        [a2.notification.id, a2.notification.id, k1.notification.id, replacesOld.notification.id, fresh.notification.id].sort(),
      );
    });

    it("an accept the database refuses fails alone; the others of its group are stored", async () => {
      const good = [anAcceptInput(), anAcceptInput({ notification: { unsId: "uns-bob" } })];
      const bad = anAcceptInput({ deliveries: [aDeliveryInput({ purpose: "bogus" as never })] }); // violates the purpose CHECK
      const settled = await Promise.allSettled([good[0], bad, good[1]].map((i) => ref.store.acceptNotification({ ...i, now: T0 })));
      expect(settled.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      for (const g of good) expect((await ref.store.getNotification(g.notification.id))?.deliveries).toHaveLength(1);
      expect(await ref.store.getNotification(bad.notification.id)).toBeUndefined();
    });

    it("stores every one of a large group, each with its deliveries", async () => {
      const inputs = Array.from({ length: 300 }, (_, i) => anAcceptInput({ notification: { unsId: `uns-${i % 40}`, appNotificationId: `n-${i}` }, deliveries: [aDeliveryInput(), aDeliveryInput(), aDeliveryInput()] }));
      const results = await Promise.all(inputs.map((i) => ref.store.acceptNotification({ ...i, now: T0 })));
      expect(results.every((r) => r.outcome === "created")).toBe(true);
      expect(await ref.store.outboxStats(at(1))).toMatchObject({ pending: 900, due: 900 });
    });
  });
}
