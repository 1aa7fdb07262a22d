import { describe, expect, it } from "vitest";
import { aDeliveryInput, anAcceptInput, T0 } from "./fixtures.js";
import type { StoreRef } from "./store.contract.js";

/** Migration 0006: the routing decision and each delivery's destination and role, kept from accept time. */
export function describeRoutingContract(ref: StoreRef): void {
  describe("routing columns", () => {
    it("keeps the routing decision with the notification and the destination and role with each delivery", async () => {
      const routing = { route: "host:c.example.com", destination: "hub-b", type: "hubs" as const, shadow: "hub-c", canary: { bucket: 7, percent: 10, chosen: true } };
      const input = anAcceptInput({
        routing,
        deliveries: [aDeliveryInput({ destination: "hub-b" }), aDeliveryInput({ destination: "hub-c", role: "shadow" })],
      });
      const created = await ref.store.acceptNotification({ ...input, now: T0 });
      expect(created.notification.routing).toEqual(routing);
      const found = await ref.store.getNotification(input.notification.id);
      expect(found?.notification.routing).toEqual(routing);
      const byId = new Map(found!.deliveries.map((d) => [d.id, d]));
      expect(byId.get(input.deliveries[0].id)).toMatchObject({ destination: "hub-b", role: "main" });
      expect(byId.get(input.deliveries[1].id)).toMatchObject({ destination: "hub-c", role: "shadow" });
      const claimed = await ref.store.claimDueDeliveries({ owner: "w", now: T0, limit: 10, leaseMs: 1000 });
      expect(claimed.map((d) => `${d.destination}/${d.role}`).sort()).toEqual(["hub-b/main", "hub-c/shadow"]);
    });

    it("reads a notification accepted without routing as the single destination's: no decision, no destination, role main", async () => {
      const input = anAcceptInput();
      await ref.store.acceptNotification({ ...input, now: T0 });
      const found = await ref.store.getNotification(input.notification.id);
      expect(found?.notification.routing).toBeUndefined();
      expect(found?.deliveries[0].destination).toBeUndefined();
      expect(found?.deliveries[0].role).toBe("main");
      const listed = await ref.store.listDeliveries({ limit: 10 });
      expect(listed[0]).toMatchObject({ role: "main" });
    });

    it("stores a dry-run notification with no deliveries at all", async () => {
      const input = anAcceptInput({ routing: { route: "r", destination: "nowhere", type: "dry-run" }, deliveries: [] });
      expect((await ref.store.acceptNotification({ ...input, now: T0 })).outcome).toBe("created");
      const found = await ref.store.getNotification(input.notification.id);
      expect(found?.deliveries).toEqual([]);
      expect(found?.notification.routing?.type).toBe("dry-run");
      expect(await ref.store.claimDueDeliveries({ owner: "w", now: T0, limit: 10, leaseMs: 1000 })).toEqual([]);
    });
  });
}
