import { describe, expect, it } from "vitest";
import type { InstallationRecord } from "../../src/store/subscription-store.js";
import { at, HOUR, T0 } from "./fixtures.js";
import type { StoreRef } from "./store.contract.js";

const ALICE = { tenantId: "t1", userObjectId: "alice" };
const BOB = { tenantId: "t1", userObjectId: "bob" };
const HOST = "notify.contoso.com";

export function anInstallation(o: Partial<InstallationRecord> = {}): InstallationRecord {
  return {
    id: "inst-1", ...ALICE, appId: "app-1", targetHostName: HOST, subscriptionId: "sub-alice", platform: "apns",
    pushChannel: "ab".repeat(32), createdAt: T0, updatedAt: T0, expiresAt: at(90 * 24 * HOUR), ...o,
  };
}

/** Subscriptions and installations: the same behaviour on every backend. */
export function describeSubscriptionsContract(ref: StoreRef): void {
  const subs = () => ref.store.subscriptions;
  const subscribe = (who = ALICE, newId = "sub-alice", host = HOST) => subs().ensureSubscription({ ...who, targetHostName: host, newId }, T0);

  describe("subscriptions", () => {
    it("creates one minted id per tenant, user and host, and returns the same one after", async () => {
      const first = await subscribe();
      expect(first).toEqual({ created: true, subscription: { id: "sub-alice", kind: "minted", primaryId: "sub-alice", ...ALICE, targetHostName: HOST, createdAt: T0 } });
      const again = await subs().ensureSubscription({ ...ALICE, targetHostName: HOST, newId: "sub-other" }, at(5));
      expect(again).toEqual({ created: false, subscription: first.subscription });
      expect((await subscribe(ALICE, "sub-alice-2", "other.fabrikam.com")).subscription.id).toBe("sub-alice-2");
      expect((await subscribe({ tenantId: "t2", userObjectId: "alice" }, "sub-t2")).created).toBe(true);
      expect(await subs().getSubscription("sub-alice")).toEqual(first.subscription);
      expect(await subs().findUserSubscription({ ...ALICE, targetHostName: HOST })).toEqual(first.subscription);
      expect(await subs().findUserSubscription({ ...BOB, targetHostName: HOST })).toBeUndefined();
      expect(await subs().getSubscription("nope")).toBeUndefined();
    });

    it("gives concurrent first calls of one user the same id", async () => {
      const results = await Promise.all(["a", "b", "c"].map((id) => subscribe(ALICE, id)));
      expect(new Set(results.map((r) => r.subscription.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
    });

    it("lets the first user claim a legacy id; the same claim again is not new; another user or host conflicts", async () => {
      await subscribe();
      const claim = { ...ALICE, id: "legacy-uns-1", targetHostName: HOST, primaryId: "sub-alice" };
      const first = await subs().claimLegacySubscription(claim, T0);
      expect(first).toEqual({ created: true, subscription: { id: "legacy-uns-1", kind: "legacy", primaryId: "sub-alice", ...ALICE, targetHostName: HOST, createdAt: T0 } });
      expect(await subs().claimLegacySubscription(claim, at(1))).toEqual({ created: false, subscription: (first as { subscription: unknown }).subscription });
      await subscribe(BOB, "sub-bob");
      expect(await subs().claimLegacySubscription({ ...claim, ...BOB, primaryId: "sub-bob" }, at(2))).toEqual({ conflict: true });
      expect(await subs().claimLegacySubscription({ ...claim, targetHostName: "other.fabrikam.com" }, at(3))).toEqual({ conflict: true });
      expect(await subs().claimLegacySubscription({ ...claim, id: "sub-bob" }, at(4))).toEqual({ conflict: true });
      expect((await subs().getSubscription("legacy-uns-1"))?.userObjectId).toBe("alice");
    });

    it("answers look-ups made at the same moment each with its own row, or none", async () => {
      await subscribe(ALICE, "sub-a");
      await subscribe(BOB, "sub-b");
      const ids = ["sub-b", "nope", "sub-a", "sub-b", "bad\u0000id", "it's \\ odd"];
      const found = await Promise.all(ids.map((id) => subs().getSubscription(id)));
      expect(found.map((s) => s?.userObjectId)).toEqual(["bob", undefined, "alice", "bob", undefined, undefined]);
    });

    it("lists a user's subscriptions, minted and claimed, by id, for the given hosts, in pages", async () => {
      const other = "other.fabrikam.com";
      await subscribe(ALICE, "s-2");
      await subscribe(ALICE, "s-4", other);
      await subs().claimLegacySubscription({ ...ALICE, id: "s-3-legacy", targetHostName: HOST, primaryId: "s-2" }, at(1));
      await subscribe(BOB, "s-1");
      await subscribe({ tenantId: "t2", userObjectId: "alice" }, "s-0");
      const ids = async (o: { hosts?: string[]; limit?: number; after?: string } = {}) =>
        (await subs().listUserSubscriptions({ ...ALICE, limit: 10, ...o })).map((s) => s.id);
      expect(await ids()).toEqual(["s-2", "s-3-legacy", "s-4"]);
      expect(await ids({ hosts: [HOST] })).toEqual(["s-2", "s-3-legacy"]);
      expect(await ids({ hosts: [other, "nobody.example"] })).toEqual(["s-4"]);
      expect(await ids({ hosts: [] })).toEqual([]);
      expect(await ids({ limit: 2 })).toEqual(["s-2", "s-3-legacy"]);
      expect(await ids({ limit: 2, after: "s-3-legacy" })).toEqual(["s-4"]);
      const [legacy] = await subs().listUserSubscriptions({ ...ALICE, limit: 1, after: "s-2" });
      expect(legacy).toEqual({ id: "s-3-legacy", kind: "legacy", primaryId: "s-2", ...ALICE, targetHostName: HOST, createdAt: at(1) });
      expect(await subs().listUserSubscriptions({ ...BOB, limit: 10 })).toHaveLength(1);
    });
  });

  describe("installations", () => {
    it("creates, replaces (keeping the creation time) and reads back an installation", async () => {
      await subscribe();
      const created = await subs().putInstallation(anInstallation());
      expect(created).toEqual({ outcome: "created", installation: anInstallation() });
      const browser = { endpoint: "https://push.example/x", p256dh: "key", auth: "secret" };
      const next = anInstallation({ platform: "browser", pushChannel: browser, createdAt: at(9), updatedAt: at(10), expiresAt: at(20) });
      const replaced = await subs().putInstallation(next);
      expect(replaced).toEqual({ outcome: "replaced", installation: { ...next, createdAt: T0 }, previous: anInstallation() });
      expect(await subs().getInstallation("inst-1")).toEqual({ ...next, createdAt: T0 });
      expect(await subs().getInstallation("nope")).toBeUndefined();
    });

    it("refuses another user's put on a taken id and leaves the installation untouched", async () => {
      await subscribe();
      await subscribe(BOB, "sub-bob");
      await subs().putInstallation(anInstallation());
      expect(await subs().putInstallation(anInstallation({ ...BOB, subscriptionId: "sub-bob", pushChannel: "cd".repeat(32) }))).toEqual({ outcome: "taken" });
      expect(await subs().putInstallation(anInstallation({ tenantId: "t2", subscriptionId: "sub-bob" }))).toEqual({ outcome: "taken" });
      expect(await subs().getInstallation("inst-1")).toEqual(anInstallation());
    });

    it("lists a user's unexpired installations by id, per host, in pages; and a subscription's", async () => {
      await subscribe();
      await subscribe(ALICE, "sub-alice-2", "other.fabrikam.com");
      await subscribe(BOB, "sub-bob");
      for (const id of ["c", "a", "b"]) await subs().putInstallation(anInstallation({ id }));
      await subs().putInstallation(anInstallation({ id: "d", targetHostName: "other.fabrikam.com", subscriptionId: "sub-alice-2" }));
      await subs().putInstallation(anInstallation({ id: "e", expiresAt: at(HOUR) }));
      await subs().putInstallation(anInstallation({ id: "f", ...BOB, subscriptionId: "sub-bob" }));
      const ids = (list: InstallationRecord[]) => list.map((i) => i.id);
      const now = at(2 * HOUR);
      expect(ids(await subs().listUserInstallations({ ...ALICE, now, limit: 10 }))).toEqual(["a", "b", "c", "d"]);
      expect(ids(await subs().listUserInstallations({ ...ALICE, targetHostName: HOST, now, limit: 10 }))).toEqual(["a", "b", "c"]);
      expect(ids(await subs().listUserInstallations({ ...ALICE, now, limit: 2 }))).toEqual(["a", "b"]);
      expect(ids(await subs().listUserInstallations({ ...ALICE, now, limit: 2, after: "b" }))).toEqual(["c", "d"]);
      expect(ids(await subs().listUserInstallations({ ...ALICE, now: T0, limit: 10 }))).toEqual(["a", "b", "c", "d", "e"]);
      expect(ids(await subs().listSubscriptionInstallations("sub-alice", now))).toEqual(["a", "b", "c"]);
      expect(ids(await subs().listSubscriptionInstallations("sub-bob", now))).toEqual(["f"]);
      expect(ids(await subs().listSubscriptionInstallations("sub-alice"))).toEqual(["a", "b", "c", "e"]);
    });

    it("deletes only the owner's installation and returns what went", async () => {
      await subscribe();
      await subs().putInstallation(anInstallation());
      expect(await subs().deleteInstallation({ ...BOB, id: "inst-1" })).toBeUndefined();
      expect(await subs().deleteInstallation({ ...ALICE, id: "inst-1" })).toEqual(anInstallation());
      expect(await subs().getInstallation("inst-1")).toBeUndefined();
      expect(await subs().deleteInstallation({ ...ALICE, id: "inst-1" })).toBeUndefined();
    });

    it("refuses an installation whose subscription does not exist", async () => {
      await expect(subs().putInstallation(anInstallation({ subscriptionId: "no-such-subscription" }))).rejects.toThrow();
    });
  });
}
