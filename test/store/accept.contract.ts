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
      const result = await ref.store.acceptNotification(input, T0);
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
      await ref.store.acceptNotification(first, T0);
      const again = anAcceptInput({ idempotencyKey: "k", response: { original: false } });
      const result = await ref.store.acceptNotification(again, at(HOUR));
      expect(result.outcome).toBe("duplicate");
      expect(result.notification.id).toBe(first.notification.id);
      expect(result.notification.response).toEqual({ original: true });
      expect(await ref.store.getNotification(again.notification.id)).toBeUndefined();
    });

    it("rejects a repeated idempotency key with different content", async () => {
      const first = anAcceptInput({ idempotencyKey: "k" });
      await ref.store.acceptNotification(first, T0);
      const other = anAcceptInput({ idempotencyKey: "k", contentHash: "hash-2" });
      const error = await ref.store.acceptNotification(other, at(1000)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdempotencyConflictError);
      expect(error).toMatchObject({ idempotencyKey: "k", existingNotificationId: first.notification.id });
      expect(await ref.store.getNotification(other.notification.id)).toBeUndefined();
    });

    it("forgets an idempotency key after 24 hours, and scopes it per X-UNS-ID", async () => {
      await ref.store.acceptNotification(anAcceptInput({ idempotencyKey: "k" }), T0);
      const otherUser = await ref.store.acceptNotification(anAcceptInput({ idempotencyKey: "k", notification: { unsId: "uns-bob" } }), at(1));
      expect(otherUser.outcome).toBe("created");
      const later = await ref.store.acceptNotification(anAcceptInput({ idempotencyKey: "k", contentHash: "other" }), at(24 * HOUR + 1));
      expect(later.outcome).toBe("created");
    });

    it("treats the same appNotificationId with the same content as a duplicate while the first is live", async () => {
      const first = anAcceptInput({ notification: { appNotificationId: "a" } });
      await ref.store.acceptNotification(first, T0);
      const again = anAcceptInput({ notification: { appNotificationId: "a" } });
      const result = await ref.store.acceptNotification(again, at(1000));
      expect(result).toMatchObject({ outcome: "duplicate", notification: { id: first.notification.id } });
      expect(await ref.store.getNotification(again.notification.id)).toBeUndefined();
    });

    it("replaces a live notification with new content: old one marked, its unsent deliveries superseded", async () => {
      const first = anAcceptInput({ notification: { appNotificationId: "a" }, deliveries: [aDeliveryInput(), aDeliveryInput()] });
      await ref.store.acceptNotification(first, T0);
      const [sentOne] = await ref.store.claimDueDeliveries({ owner: "w", now: T0, limit: 1, leaseMs: 1000 });
      await ref.store.markSent(sentOne.id, "w", {}, at(1));
      const second = anAcceptInput({ notification: { appNotificationId: "a" }, contentHash: "hash-2" });
      const result = await ref.store.acceptNotification(second, at(2));
      expect(result).toMatchObject({ outcome: "replaced", notification: { id: second.notification.id, state: "live" } });
      const old = await ref.store.getNotification(first.notification.id);
      expect(old?.notification).toMatchObject({ state: "replaced", replacedBy: second.notification.id });
      expect(old?.deliveries.map((d) => d.state).sort()).toEqual(["sent", "superseded"]);
      const claimable = await ref.store.claimDueDeliveries({ owner: "w", now: at(10), limit: 10, leaseMs: 1000 });
      expect(claimable.map((d) => d.id)).toEqual([second.deliveries[0].id]);
    });

    it("creates afresh when the notification with that appNotificationId has expired", async () => {
      const first = anAcceptInput({ notification: { appNotificationId: "a", expiresAt: at(HOUR) } });
      await ref.store.acceptNotification(first, T0);
      const again = anAcceptInput({ notification: { appNotificationId: "a" } });
      const result = await ref.store.acceptNotification(again, at(HOUR));
      expect(result.outcome).toBe("created");
      expect((await ref.store.getNotification(first.notification.id))?.notification.state).toBe("replaced");
    });

    it("keeps only one notification when identical requests race", async () => {
      const inputs = Array.from({ length: 6 }, () => anAcceptInput({ notification: { appNotificationId: "race" } }));
      await warmUp();
      const results = await Promise.all(inputs.map((i) => ref.store.acceptNotification(i, T0)));
      expect(results.filter((r) => r.outcome === "created")).toHaveLength(1);
      expect(new Set(results.map((r) => r.notification.id)).size).toBe(1);
      expect(await ref.store.listDeliveries({ limit: 100 })).toHaveLength(1);
    });

    it("keeps only one notification when requests with the same idempotency key race", async () => {
      const inputs = Array.from({ length: 6 }, () => anAcceptInput({ idempotencyKey: "race-key" }));
      await warmUp();
      const results = await Promise.all(inputs.map((i) => ref.store.acceptNotification(i, T0)));
      expect(results.map((r) => r.outcome).sort()).toEqual(["created", "duplicate", "duplicate", "duplicate", "duplicate", "duplicate"]);
      expect(await ref.store.listDeliveries({ limit: 100 })).toHaveLength(1);
    });
  });
}
