import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSyncPlanner } from "../../src/feed/plan-sync.js";
import type { FeedItemRecord, FeedSyncDelivery } from "../../src/store/feed.js";
import type { AcceptInput, StoredRouting } from "../../src/store/store.js";
import { aDeliveryInput, anAcceptInput, aNativeSend, at, HOUR, T0 } from "./fixtures.js";
import type { StoreRef } from "./store.contract.js";

const ALICE = { unsId: "uns-alice", targetHostName: "contoso.example" };

/** An accept that writes its feed item. */
const aFeedAccept = (o: Parameters<typeof anAcceptInput>[0] = {}): AcceptInput => ({ ...anAcceptInput(o), feed: true });

const aSync = (changed: FeedItemRecord[]): FeedSyncDelivery[] => {
  const send = aNativeSend({ purpose: "feed-sync", body: JSON.stringify({ ids: changed.map((c) => c.id) }) });
  return [{ id: randomUUID(), notificationId: changed[0].id, platform: send.platform, purpose: "feed-sync", send, dueAt: T0 }];
};
/** The bridge's planner: sync pushes go where each changed item's notification went. */
let syncIds = 0;
const realSync = (origin?: string) => createSyncPlanner({ tagTemplate: "$UserId:{unsId}", newId: () => `sync-${++syncIds}` })({ unsId: ALICE.unsId, originInstallationId: origin, now: at(1) });
const routedTo = (destination: string, type: StoredRouting["type"] = "hubs", shadow?: string): StoredRouting => ({ route: "host:contoso.example", destination, type, ...(shadow ? { shadow } : {}) });

export function describeFeedContract(ref: StoreRef): void {
  const accept = async (o: Parameters<typeof anAcceptInput>[0], when: Date) => {
    const input = aFeedAccept(o);
    await ref.store.acceptNotification({ ...input, now: when });
    return input.notification.id;
  };
  const list = (o: Partial<Parameters<typeof ref.store.feed.listFeed>[0]> = {}) => ref.store.feed.listFeed({ ...ALICE, now: at(1), limit: 50, ...o });
  const syncDeliveries = async (id: string) => ((await ref.store.getNotification(id))?.deliveries ?? []).filter((d) => d.purpose === "feed-sync");

  describe("feed", () => {
    it("makes every accept with feed an unread item of its user and host, and writes none without", async () => {
      const id = await accept({ notification: { appNotificationId: "a1", groupName: "g", targetHostName: "Contoso.Example." } }, T0);
      await ref.store.acceptNotification({ ...anAcceptInput(), now: T0 }); // FEED=off: no item
      const items = await list();
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        id, unsId: "uns-alice", targetHostName: "contoso.example", readState: "unread", userActionState: "noInteraction",
        version: 1, removed: false, createdAt: T0, modifiedAt: T0,
      });
      expect(items[0].notification).toMatchObject({ id, appNotificationId: "a1", groupName: "g" });
      expect(await ref.store.feed.getFeedItem({ ...ALICE, id, now: at(1) })).toEqual(items[0]);
      expect(await list({ unsId: "uns-bob" })).toEqual([]);
      expect(await list({ targetHostName: "other.example" })).toEqual([]);
      expect(await ref.store.feed.getFeedItem({ unsId: "uns-bob", targetHostName: ALICE.targetHostName, id, now: at(1) })).toBeUndefined();
    });

    it("lists newest first in pages, filters by state and counts", async () => {
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await accept({}, at(i * 1000)));
      const now = at(HOUR);
      const first = await list({ limit: 2, now });
      expect(first.map((x) => x.id)).toEqual([ids[4], ids[3]]);
      const second = await list({ limit: 2, now, before: { createdAt: first[1].createdAt, id: first[1].id } });
      expect(second.map((x) => x.id)).toEqual([ids[2], ids[1]]);
      await ref.store.feed.changeFeedState({ ...ALICE, ids: [ids[1], ids[3]], set: { readState: "read" }, now });
      await ref.store.feed.changeFeedState({ ...ALICE, ids: [ids[3]], set: { userActionState: "dismissed" }, now });
      expect((await list({ now, readState: "unread" })).map((x) => x.id)).toEqual([ids[4], ids[2], ids[0]]);
      expect((await list({ now, readState: "read", userActionState: "dismissed" })).map((x) => x.id)).toEqual([ids[3]]);
      expect(await ref.store.feed.countFeed({ ...ALICE, now, readState: "unread" })).toBe(3);
      expect(await ref.store.feed.countFeed({ ...ALICE, now })).toBe(5);
    });

    it("orders items of the same instant by id, so paging never skips or repeats one", async () => {
      const ids = [await accept({}, T0), await accept({}, T0), await accept({}, T0)].sort().reverse();
      const page1 = await list({ limit: 2 });
      const page2 = await list({ limit: 2, before: { createdAt: T0, id: page1[1].id } });
      expect([...page1, ...page2].map((x) => x.id)).toEqual(ids);
    });

    it("does not list, count or find expired items", async () => {
      const id = await accept({ notification: { expiresAt: at(HOUR) } }, T0);
      expect(await ref.store.feed.countFeed({ ...ALICE, now: at(HOUR - 1) })).toBe(1);
      expect(await list({ now: at(HOUR) })).toEqual([]);
      expect(await ref.store.feed.countFeed({ ...ALICE, now: at(HOUR) })).toBe(0);
      expect(await ref.store.feed.getFeedItem({ ...ALICE, id, now: at(HOUR) })).toBeUndefined();
      expect(await ref.store.feed.changeFeedState({ ...ALICE, ids: [id], set: { readState: "read" }, now: at(HOUR) })).toEqual([{ id, outcome: "not-found" }]);
    });

    it("replaces the item of a later POST with the same appNotificationId, resetting its state", async () => {
      const first = await accept({ notification: { appNotificationId: "same" } }, T0);
      await ref.store.feed.changeFeedState({ ...ALICE, ids: [first], set: { readState: "read", userActionState: "dismissed" }, now: at(1) });
      const second = await accept({ notification: { appNotificationId: "same" }, contentHash: "hash-2" }, at(2));
      const items = await list({ now: at(3) });
      expect(items.map((x) => [x.id, x.readState, x.userActionState, x.version])).toEqual([[second, "unread", "noInteraction", 1]]);
      expect(await ref.store.feed.getFeedItem({ ...ALICE, id: first, now: at(3) })).toBeUndefined();
      expect(await ref.store.feed.changeFeedState({ ...ALICE, ids: [first], set: { readState: "unread" }, now: at(3) })).toEqual([{ id: first, outcome: "not-found" }]);
    });

    it("changes state in one transaction with its sync deliveries, raising the version", async () => {
      const id = await accept({}, T0);
      const [result] = await ref.store.feed.changeFeedState({ ...ALICE, ids: [id], set: { userActionState: "dismissed" }, ifVersion: 1, now: at(5), planSync: aSync });
      expect(result).toMatchObject({ id, outcome: "changed", item: { readState: "unread", userActionState: "dismissed", version: 2, modifiedAt: at(5) } });
      expect(await ref.store.feed.getFeedItem({ ...ALICE, id, now: at(6) })).toEqual(result.item);
      const sync = await syncDeliveries(id);
      expect(sync).toHaveLength(1);
      expect(sync[0]).toMatchObject({ state: "pending", purpose: "feed-sync", notificationId: id });
      expect(JSON.parse(sync[0].send.body)).toEqual({ ids: [id] });
    });

    it("hands the planner the tag expression of the notification's primary send", async () => {
      const id = await accept({ deliveries: [aDeliveryInput({ send: aNativeSend({ tagExpression: "$UserId:{uns-alice}" }) })] }, T0);
      let seen: unknown;
      await ref.store.feed.changeFeedState({ ...ALICE, ids: [id], set: { readState: "read" }, now: at(1), planSync: (c) => ((seen = c.map((x) => x.syncTarget)), []) });
      expect(seen).toEqual([{ tagExpression: "$UserId:{uns-alice}" }]);
    });

    it("records the sync pushes for the destination of the notification's main delivery, never its shadow's; without routing for none", async () => {
      const main = aDeliveryInput({ id: "1-main", destination: "hub-b", role: "main", send: aNativeSend({ tagExpression: "$UserId:{uns-alice}", destination: "hub-b" }) });
      const shadow = aDeliveryInput({ id: "0-shadow", destination: "hub-c", role: "shadow", send: aNativeSend({ tagExpression: "shadow:{uns-alice}", destination: "hub-c" }) });
      const routed = await accept({ routing: routedTo("hub-b", "hubs", "hub-c"), deliveries: [shadow, main] }, T0);
      const single = await accept({}, T0);
      await ref.store.feed.changeFeedState({ ...ALICE, ids: [routed], set: { userActionState: "dismissed" }, now: at(1), planSync: realSync("alice-pixel") });
      await ref.store.feed.changeFeedState({ ...ALICE, ids: [single], set: { userActionState: "dismissed" }, now: at(1), planSync: realSync("alice-pixel") });
      const [r] = await syncDeliveries(routed);
      expect(r).toMatchObject({ destination: "hub-b", role: "main", send: { destination: "hub-b", tagExpression: "($UserId:{uns-alice}) && !$InstallationId:{alice-pixel}" } });
      const [s] = await syncDeliveries(single);
      expect(s).toMatchObject({ role: "main", send: { tagExpression: "(uns:uns-alice) && !$InstallationId:{alice-pixel}" } });
      expect(s.destination).toBeUndefined();
      expect(s.send.destination).toBeUndefined();
    });

    it("queues no sync push for an item routed to Graph (even with a shadow hub) or a dry run, and still changes it", async () => {
      const first = await ref.store.feed.feedChangesSince({ ...ALICE, afterSeq: 0, limit: 50, now: at(1) });
      const dry = await accept({ routing: routedTo("nowhere", "dry-run"), deliveries: [] }, T0);
      const graph = await accept({ routing: routedTo("legacy", "graph", "hub-b"), deliveries: [aDeliveryInput({ destination: "hub-b", role: "shadow", send: aNativeSend({ destination: "hub-b" }) })] }, T0);
      const results = await ref.store.feed.changeFeedState({ ...ALICE, ids: "all", set: { userActionState: "dismissed" }, now: at(1), planSync: realSync() });
      expect(results.map((r) => [r.id, r.outcome, r.item?.version]).sort()).toEqual([[dry, "changed", 2], [graph, "changed", 2]].sort());
      expect([...(await syncDeliveries(dry)), ...(await syncDeliveries(graph))]).toEqual([]);
      const changes = await ref.store.feed.feedChangesSince({ ...ALICE, afterSeq: first.lastSeq, limit: 50, now: at(2) });
      expect(changes.items.map((x) => [x.id, x.userActionState]).sort()).toEqual([[dry, "dismissed"], [graph, "dismissed"]].sort());
    });

    it("announces the items of one change on each destination they went to, each push under one of its own items", async () => {
      const onA = await accept({ routing: routedTo("hub-a"), deliveries: [aDeliveryInput({ destination: "hub-a", send: aNativeSend({ destination: "hub-a" }) })] }, T0);
      const onB = await accept({ routing: routedTo("hub-b"), deliveries: [aDeliveryInput({ destination: "hub-b", send: aNativeSend({ destination: "hub-b" }) })] }, at(1));
      await ref.store.feed.changeFeedState({ ...ALICE, ids: "all", set: { readState: "read" }, now: at(2), planSync: realSync() });
      const named = async (id: string) => (await syncDeliveries(id)).map((d) => [d.destination, JSON.parse(JSON.parse(d.send.body).message.data.gnbSync).changes.map((c: { id: string }) => c.id)]);
      expect(await named(onA)).toEqual([["hub-a", [onA]]]);
      expect(await named(onB)).toEqual([["hub-b", [onB]]]);
    });

    it("refuses a stale version, another user's item and an unknown id, writing nothing", async () => {
      const id = await accept({}, T0);
      await ref.store.feed.changeFeedState({ ...ALICE, ids: [id], set: { readState: "read" }, now: at(1) });
      const stale = await ref.store.feed.changeFeedState({ ...ALICE, ids: [id], set: { readState: "unread" }, ifVersion: 1, now: at(2), planSync: aSync });
      expect(stale).toMatchObject([{ id, outcome: "stale", item: { version: 2, readState: "read" } }]);
      const bob = await ref.store.feed.changeFeedState({ unsId: "uns-bob", targetHostName: ALICE.targetHostName, ids: [id], set: { readState: "unread" }, now: at(2), planSync: aSync });
      expect(bob).toEqual([{ id, outcome: "not-found" }]);
      const otherHost = await ref.store.feed.changeFeedState({ ...ALICE, targetHostName: "other.example", ids: [id], set: { readState: "unread" }, now: at(2), planSync: aSync });
      expect(otherHost).toEqual([{ id, outcome: "not-found" }]);
      expect(await ref.store.feed.changeFeedState({ ...ALICE, ids: ["nope"], set: { readState: "unread" }, now: at(2), planSync: aSync })).toEqual([{ id: "nope", outcome: "not-found" }]);
      expect(await ref.store.feed.getFeedItem({ ...ALICE, id, now: at(3) })).toMatchObject({ readState: "read", version: 2 });
      expect(await syncDeliveries(id)).toEqual([]);
    });

    it("leaves an item already in the asked state unchanged: same version, no sync push", async () => {
      const id = await accept({}, T0);
      const [r] = await ref.store.feed.changeFeedState({ ...ALICE, ids: [id], set: { readState: "unread", userActionState: "noInteraction" }, now: at(1), planSync: aSync });
      expect(r).toMatchObject({ outcome: "unchanged", item: { version: 1 } });
      expect(await syncDeliveries(id)).toEqual([]);
    });

    it("marks every listed item read in one change with one set of sync deliveries", async () => {
      const a = await accept({}, T0);
      const b = await accept({}, at(1));
      await ref.store.feed.changeFeedState({ ...ALICE, ids: [a], set: { readState: "read" }, now: at(2) });
      await accept({ notification: { unsId: "uns-bob" } }, at(3));
      let planned: string[] = [];
      const results = await ref.store.feed.changeFeedState({ ...ALICE, ids: "all", set: { readState: "read" }, now: at(4), planSync: (c) => ((planned = c.map((x) => x.id)), aSync(c)) });
      expect(results.map((r) => [r.id, r.outcome])).toEqual([[a, "unchanged"], [b, "changed"]]);
      expect(planned).toEqual([b]);
      expect(await syncDeliveries(b)).toHaveLength(1);
      expect(await ref.store.feed.countFeed({ unsId: "uns-bob", targetHostName: ALICE.targetHostName, now: at(5), readState: "unread" })).toBe(1);
    });

    it("answers changes since a position: first everything listed, then only what changed or went", async () => {
      const a = await accept({ notification: { appNotificationId: "a" } }, T0);
      const b = await accept({}, at(1));
      const first = await ref.store.feed.feedChangesSince({ ...ALICE, afterSeq: 0, limit: 50, now: at(2) });
      expect(first.items.map((x) => x.id)).toEqual([a, b]);
      const none = await ref.store.feed.feedChangesSince({ ...ALICE, afterSeq: first.lastSeq, limit: 50, now: at(2) });
      expect(none).toEqual({ items: [], lastSeq: first.lastSeq });
      await ref.store.feed.changeFeedState({ ...ALICE, ids: [b], set: { userActionState: "dismissed" }, now: at(3) });
      const changed = await ref.store.feed.feedChangesSince({ ...ALICE, afterSeq: first.lastSeq, limit: 50, now: at(4) });
      expect(changed.items.map((x) => [x.id, x.userActionState])).toEqual([[b, "dismissed"]]);
      const c = await accept({ notification: { appNotificationId: "a" }, contentHash: "hash-2" }, at(5));
      const replaced = await ref.store.feed.feedChangesSince({ ...ALICE, afterSeq: changed.lastSeq, limit: 50, now: at(6) });
      expect(replaced.items.map((x) => [x.id, x.removed]).sort()).toEqual([[a, true], [c, false]].sort());
      const paged = await ref.store.feed.feedChangesSince({ ...ALICE, afterSeq: 0, limit: 1, now: at(6) });
      expect(paged.items).toHaveLength(1);
      const rest = await ref.store.feed.feedChangesSince({ ...ALICE, afterSeq: paged.lastSeq, limit: 50, now: at(6) });
      expect([...paged.items, ...rest.items].filter((x) => !x.removed).map((x) => x.id).sort()).toEqual([b, c].sort());
    });

    it("keeps items of different users and hosts in separate change sequences", async () => {
      await accept({}, T0);
      const mine = await ref.store.feed.feedChangesSince({ ...ALICE, afterSeq: 0, limit: 50, now: at(1) });
      await accept({ notification: { unsId: "uns-bob" } }, at(1));
      await accept({ notification: { targetHostName: "other.example" } }, at(1));
      expect(await ref.store.feed.feedChangesSince({ ...ALICE, afterSeq: mine.lastSeq, limit: 50, now: at(2) })).toEqual({ items: [], lastSeq: mine.lastSeq });
    });

    it("retention keeps a notification while its item is listed, then deletes the item with it", async () => {
      const id = await accept({ notification: { expiresAt: at(2 * HOUR) } }, T0);
      for (const d of await ref.store.claimDueDeliveries({ owner: "w", now: T0, limit: 10, leaseMs: 60_000 })) await ref.store.markSent({ id: d.id, owner: "w", receipt: {}, now: at(1) });
      expect(await ref.store.purgeFinished({ before: at(HOUR), limit: 10 })).toBe(0);
      expect(await ref.store.purgeFinished({ before: at(2 * HOUR + 1), limit: 10 })).toBe(1);
      expect(await list({ now: at(2) })).toEqual([]);
      expect(await ref.store.feed.getFeedItem({ ...ALICE, id, now: at(2) })).toBeUndefined();
    });

    it("writes the items of many accepts taken together, each once", async () => {
      const inputs = Array.from({ length: 30 }, (_, i) => aFeedAccept({ notification: { appNotificationId: `n${i % 20}` }, contentHash: `h${i}` }));
      await Promise.all(inputs.map((i) => ref.store.acceptNotification({ ...i, now: T0 })));
      const items = await list({ limit: 100 });
      expect(items).toHaveLength(20); // ten were replaced by a later accept of the same appNotificationId
      expect(new Set(items.map((x) => x.notification.appNotificationId)).size).toBe(20);
      const all = await ref.store.feed.feedChangesSince({ ...ALICE, afterSeq: 0, limit: 100, now: at(1) });
      expect(all.items).toHaveLength(20);
    });
  });
}
