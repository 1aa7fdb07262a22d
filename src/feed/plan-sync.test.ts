import { describe, expect, it } from "vitest";
import type { ChangedFeedItem, SyncTarget } from "../store/feed.js";
import { createSyncPlanner, groupBySyncTarget } from "./plan-sync.js";

const NOW = new Date("2026-12-05T10:00:00.000Z");

function aChangedItem(id: string, syncTarget: SyncTarget | null): ChangedFeedItem {
  return {
    id, unsId: "sub-1", targetHostName: "notify.contoso.com", createdAt: NOW, expiresAt: new Date(NOW.getTime() + 3_600_000), modifiedAt: NOW,
    readState: "read", userActionState: "noInteraction", version: 2, changeSeq: 1, removed: false, syncTarget,
    notification: { id, unsId: "sub-1", targetHostName: "notify.contoso.com", platforms: ["android"], visual: { title: "t" }, priority: "High", expiresAt: new Date(NOW.getTime() + 3_600_000), createdAt: NOW },
  };
}

let n = 0;
const plan = (changed: ChangedFeedItem[]) =>
  createSyncPlanner({ tagTemplate: "$UserId:{unsId}", newId: () => `d-${++n}` })({ unsId: "sub-1", originInstallationId: "pixel", now: NOW })(changed);
const changesOf = (body: string): string[] => JSON.parse(JSON.parse(body).message.data.gnbSync).changes.map((c: { id: string }) => c.id);

describe("createSyncPlanner", () => {
  it("sends to the destination the notification's main delivery went to, recorded as main on the delivery and its send", () => {
    const [d] = plan([aChangedItem("n-1", { destination: "hub-b", tagExpression: "$UserId:{sub-1}" })]);
    expect(d).toMatchObject({ notificationId: "n-1", platform: "android", purpose: "feed-sync", destination: "hub-b", role: "main", dueAt: NOW });
    expect(d.send).toMatchObject({ destination: "hub-b", tagExpression: "($UserId:{sub-1}) && !$InstallationId:{pixel}" });
  });

  it("names no destination without routing, and targets the user by the tag template when the tag expression is unknown", () => {
    const [d] = plan([aChangedItem("n-1", {})]);
    expect(d.destination).toBeUndefined();
    expect(d.role).toBeUndefined();
    expect(d.send.destination).toBeUndefined();
    expect(d.send.tagExpression).toBe("($UserId:{sub-1}) && !$InstallationId:{pixel}");
  });

  it("plans nothing for items whose notification went to Graph or a dry run", () => {
    expect(plan([aChangedItem("n-1", null), aChangedItem("n-2", null)])).toEqual([]);
    expect(plan([aChangedItem("n-1", null), aChangedItem("n-2", { destination: "hub-a" })]).map((d) => [d.notificationId, changesOf(d.send.body)])).toEqual([["n-2", ["n-2"]]]);
  });

  it("gives the items of each destination and tag expression their own pushes, under the first item of each", () => {
    const planned = plan([
      aChangedItem("n-1", { destination: "hub-a" }), aChangedItem("n-2", { destination: "hub-b" }), aChangedItem("n-3", { destination: "hub-a" }),
      aChangedItem("n-4", { destination: "hub-a", tagExpression: "other" }),
    ]);
    expect(planned.map((d) => [d.notificationId, d.destination, d.send.tagExpression, changesOf(d.send.body)])).toEqual([
      ["n-1", "hub-a", "($UserId:{sub-1}) && !$InstallationId:{pixel}", ["n-1", "n-3"]],
      ["n-2", "hub-b", "($UserId:{sub-1}) && !$InstallationId:{pixel}", ["n-2"]],
      ["n-4", "hub-a", "(other) && !$InstallationId:{pixel}", ["n-4"]],
    ]);
  });
});

describe("groupBySyncTarget", () => {
  it("keeps the order items came in and leaves out those without a target", () => {
    const groups = groupBySyncTarget([aChangedItem("a", { destination: "x" }), aChangedItem("b", null), aChangedItem("c", {}), aChangedItem("d", { destination: "x" })]);
    expect(groups.map((g) => [g.target, g.items.map((i) => i.id)])).toEqual([[{ destination: "x" }, ["a", "d"]], [{}, ["c"]]]);
  });
});
