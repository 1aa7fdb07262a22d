import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/store.js";
import { describeAcceptContract } from "./accept.contract.js";
import { describeFeedContract } from "./feed.contract.js";
import { describeOutboxContract } from "./outbox.contract.js";
import { describeRetentionContract } from "./retention.contract.js";
import { describeSubscriptionsContract } from "./subscriptions.contract.js";
import { describeRoutingContract } from "./routing.contract.js";
import { anAcceptInput, at, T0 } from "./fixtures.js";

export type StoreFactory = () => Promise<Store>;

/** Holds the store of the running test; each test gets a fresh, migrated one. */
export interface StoreRef {
  store: Store;
  make: StoreFactory;
}

/** The behaviour every Store must have; run by each backend's test file. */
export function describeStoreContract(name: string, makeStore: StoreFactory): void {
  describe(`Store contract: ${name}`, () => {
    const ref = { make: makeStore } as StoreRef;
    beforeEach(async () => {
      ref.store = await makeStore();
      await ref.store.migrate();
    });
    afterEach(async () => {
      await ref.store.close();
    });

    describe("lifecycle", () => {
      it("reports migrations missing before migrate() and applied after; migrate() is idempotent", async () => {
        const fresh = await makeStore();
        try {
          await fresh.ping();
          expect(await fresh.migrationsApplied()).toBe(false);
          await fresh.migrate();
          await fresh.migrate();
          expect(await fresh.migrationsApplied()).toBe(true);
        } finally {
          await fresh.close();
        }
      });

      it("ping() rejects once closed", async () => {
        const fresh = await makeStore();
        await fresh.close();
        await expect(fresh.ping()).rejects.toThrow();
      });

      it("probeWrite() succeeds on a healthy store, leaves no trace, and rejects once closed", async () => {
        await ref.store.probeWrite();
        await ref.store.probeWrite();
        expect(await ref.store.migrationsApplied()).toBe(true);
        expect(await ref.store.listDeliveries({ limit: 10 })).toEqual([]);
        const fresh = await makeStore();
        await fresh.migrate();
        await fresh.close();
        await expect(fresh.probeWrite()).rejects.toThrow();
      });

      it("getNotification returns undefined for an unknown id", async () => {
        expect(await ref.store.getNotification("no-such-id")).toBeUndefined();
      });
    });

    describeAcceptContract(ref);
    describeOutboxContract(ref);
    describeRetentionContract(ref);
    describeFeedContract(ref);
    describeSubscriptionsContract(ref);
    describeRoutingContract(ref);

    describe("acknowledgements", () => {
      it("accepts the right token, rejects a wrong one and an unknown notification", async () => {
        const input = anAcceptInput({ ackToken: "secret-token" });
        await ref.store.acceptNotification({ ...input, now: T0 });
        const id = input.notification.id;
        expect(await ref.store.acknowledge({ notificationId: id, ackToken: "secret-token", installationId: "i1", now: at(1) })).toBe("ok");
        expect(await ref.store.acknowledge({ notificationId: id, ackToken: "secret-tokeN", now: at(2) })).toBe("bad-token");
        expect(await ref.store.acknowledge({ notificationId: "nope", ackToken: "secret-token", now: at(3) })).toBe("not-found");
        expect(await ref.store.listAcknowledgedInstallations(id)).toEqual({ all: false, installationIds: ["i1"] });
      });

      it("lists each installation once and reports all=true after an ack without installation id", async () => {
        const input = anAcceptInput({ ackToken: "t" });
        await ref.store.acceptNotification({ ...input, now: T0 });
        const id = input.notification.id;
        for (const installationId of ["i2", "i1", "i2"]) {
          await ref.store.acknowledge({ notificationId: id, ackToken: "t", installationId, now: at(1) });
        }
        expect(await ref.store.listAcknowledgedInstallations(id)).toEqual({ all: false, installationIds: ["i1", "i2"] });
        await ref.store.acknowledge({ notificationId: id, ackToken: "t", now: at(2) });
        await ref.store.acknowledge({ notificationId: id, ackToken: "t", now: at(3) });
        expect(await ref.store.listAcknowledgedInstallations(id)).toEqual({ all: true, installationIds: ["i1", "i2"] });
      });

      it("lists nothing for a notification nobody acknowledged", async () => {
        expect(await ref.store.listAcknowledgedInstallations("unknown")).toEqual({ all: false, installationIds: [] });
      });
    });
  });
}
