import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Caller } from "../auth/types.js";
import { SqliteStore } from "../store/sqlite/sqlite-store.js";
import type { InstallationRecord } from "../store/subscription-store.js";
import type { HubInstallations } from "./hub-installations.js";
import { createRecipientResolver, type UnsIdPolicy } from "./recipients.js";

const T0 = new Date("2026-12-01T00:00:00Z");
const DAY = 86_400_000;
const HOST = "notify.contoso.com";
const app: Caller = { kind: "app", appId: "app", tenantId: "t", subject: "sp" };
const alice: Caller = { kind: "delegated", appId: "client", tenantId: "t", userObjectId: "alice", scopes: [] };

let store: SqliteStore;
let removed: string[];
const hub: HubInstallations = { put: async () => undefined, remove: async (id) => void removed.push(id) };
beforeEach(async () => {
  store = new SqliteStore(":memory:");
  await store.migrate();
  removed = [];
});
afterEach(() => store.close());

const resolver = (policy: UnsIdPolicy = "any", now = T0) => createRecipientResolver({ store: store.subscriptions, hub, policy, now: () => now });
const subscribe = async () => (await store.subscriptions.ensureSubscription({ tenantId: "t", userObjectId: "alice", targetHostName: HOST, newId: "sub-a" }, T0)).subscription;
const install = (id: string, expiresAt: Date): Promise<unknown> => {
  const i: InstallationRecord = { id, tenantId: "t", userObjectId: "alice", appId: "client", targetHostName: HOST, subscriptionId: "sub-a", platform: "apns", pushChannel: "ab".repeat(32), createdAt: T0, updatedAt: T0, expiresAt };
  return store.subscriptions.putInstallation(i);
};

describe("createRecipientResolver", () => {
  it("resolves a known id (any case of the host) to its primary id and live installations", async () => {
    await subscribe();
    await install("i1", new Date(T0.getTime() + DAY));
    const r = await resolver()({ caller: app, targetHostName: "NOTIFY.contoso.com.", unsId: "sub-a" });
    expect(r).toEqual({ unsId: "sub-a", targets: { subscriptionId: "sub-a", installationCount: 1, installations: [{ id: "i1", platform: "apns" }] } });
  });

  it("refuses a known id for another host, whatever the policy", async () => {
    await subscribe();
    await expect(resolver()({ caller: app, targetHostName: "other.example", unsId: "sub-a" })).rejects.toMatchObject({ status: 404 });
  });

  it("keeps an unknown id under 'any', refuses it under 'registered-only', and never lets one name the bridge's own tags", async () => {
    expect(await resolver()({ caller: app, targetHostName: HOST, unsId: "legacy-1" })).toEqual({ unsId: "legacy-1" });
    await expect(resolver("registered-only")({ caller: app, targetHostName: HOST, unsId: "legacy-1" })).rejects.toMatchObject({ status: 404 });
    await expect(resolver()({ caller: app, targetHostName: HOST, unsId: "gnb-host:notify.contoso.com" })).rejects.toMatchObject({ status: 404 });
  });

  it("gives a delegated caller its own subscription for the host, creating it the first time", async () => {
    const first = await resolver()({ caller: alice, targetHostName: HOST });
    const own = await store.subscriptions.findUserSubscription({ tenantId: "t", userObjectId: "alice", targetHostName: HOST });
    expect(first.unsId).toBe(own?.id);
    expect((await resolver()({ caller: alice, targetHostName: HOST })).unsId).toBe(own?.id);
  });

  it("removes expired installations from the hub and the store before the send, and leaves them out of the targets", async () => {
    await subscribe();
    await install("fresh", new Date(T0.getTime() + 10 * DAY));
    await install("stale", new Date(T0.getTime() + DAY));
    const later = new Date(T0.getTime() + 2 * DAY);
    const r = await resolver("any", later)({ caller: app, targetHostName: HOST, unsId: "sub-a" });
    expect(r.targets?.installations).toEqual([{ id: "fresh", platform: "apns" }]);
    expect(removed).toEqual(["stale"]);
    expect(await store.subscriptions.getInstallation("stale")).toBeUndefined();
  });
});
