import { describe, expect, it } from "vitest";
import { canaryBucket } from "./canary-bucket.js";
import { resolveRoute } from "./resolve-route.js";
import type { RoutingTable } from "./types.js";

const hubs = (hubName: string) => ({ type: "hubs" as const, connectionString: "Endpoint=sb://x/;SharedAccessKeyName=k;SharedAccessKey=v", connectionStringSource: "env:X", hubName });
const table: RoutingTable = {
  destinations: { "hub-a": hubs("hub-a"), "hub-b": hubs("hub-b"), legacy: { type: "graph" }, nowhere: { type: "dry-run" } },
  routes: [
    { name: "app+d", match: { appId: "app-1", targetHostName: "d.example.com" }, destination: "nowhere" },
    { name: "a", match: { targetHostName: "a.example.com" }, destination: "hub-b" },
    { name: "c", match: { targetHostName: "c.example.com" }, destination: "hub-a", canary: { destination: "hub-b", percent: 50 } },
    { name: "e", match: { targetHostName: "e.example.com" }, destination: "hub-a", shadow: "hub-b" },
    { name: "d", match: { targetHostName: "d.example.com" }, destination: "legacy" },
    { name: "app-1", match: { appId: "app-1" }, destination: "hub-b" },
  ],
  default: "hub-a",
};
const route = (targetHostName: string, unsId = "user-1", appId?: string) => resolveRoute(table, { targetHostName, unsId, appId });
const users = Array.from({ length: 40 }, (_, i) => `user-${i}@contoso.com`);

describe("route resolution (the routing rules)", () => {
  it("sends a host to its route's destination, and anything unmatched to the default", () => {
    expect(route("a.example.com")).toEqual({ route: "a", destination: "hub-b" });
    expect(route("unknown.example.com")).toEqual({ route: "default", destination: "hub-a" });
  });

  it("compares host names and app ids case-insensitively (the file's side is lower-cased when read)", () => {
    expect(route("A.Example.COM").destination).toBe("hub-b");
    expect(route("x.example.com", "u", "APP-1")).toEqual({ route: "app-1", destination: "hub-b" });
  });

  it("lets the first matching route win; a route naming both fields needs both", () => {
    expect(route("d.example.com", "u", "app-1")).toEqual({ route: "app+d", destination: "nowhere" });
    expect(route("d.example.com", "u", "app-2")).toEqual({ route: "d", destination: "legacy" });
    expect(route("d.example.com", "u")).toEqual({ route: "d", destination: "legacy" }); // anonymous: no app id to match
    expect(route("a.example.com", "u", "app-1").route).toBe("a"); // earlier host route before the later app route
  });

  it("adds the shadow to the main destination", () => {
    expect(route("e.example.com")).toEqual({ route: "e", destination: "hub-a", shadow: "hub-b" });
  });

  it("splits a 50 % canary over 40 users between 20 % and 80 %, recording each user's bucket", () => {
    const decisions = users.map((u) => route("c.example.com", u));
    const canary = decisions.filter((d) => d.destination === "hub-b").length;
    expect(canary).toBeGreaterThanOrEqual(8);
    expect(canary).toBeLessThanOrEqual(32);
    for (const [i, d] of decisions.entries()) {
      expect(d.canary).toEqual({ bucket: canaryBucket("c", users[i]), percent: 50, chosen: d.destination === "hub-b" });
      expect(d.canary!.chosen).toBe(d.canary!.bucket < 50);
    }
  });

  it("sends the same user the same way every time (sticky), whatever else was routed in between", () => {
    const first = users.map((u) => route("c.example.com", u).destination);
    route("a.example.com", "someone-else");
    expect(users.map((u) => route("c.example.com", u).destination)).toEqual(first);
  });

  it("keeps the users already in the canary when its percentage grows (10 -> 50 -> 100), none at 0", () => {
    const at = (percent: number) => {
      const t: RoutingTable = { ...table, routes: table.routes.map((r) => (r.name === "c" ? { ...r, canary: { destination: "hub-b", percent } } : r)) };
      return new Set(users.filter((u) => resolveRoute(t, { targetHostName: "c.example.com", unsId: u }).destination === "hub-b"));
    };
    const [zero, ten, fifty, all] = [at(0), at(10), at(50), at(100)];
    expect(zero.size).toBe(0);
    expect(all.size).toBe(users.length);
    for (const u of ten) expect(fifty.has(u)).toBe(true);
    expect(fifty.size).toBeGreaterThan(ten.size);
  });

  it("buckets spread evenly over many users, and each route splits its users independently", () => {
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 2000; i++) counts[Math.floor(canaryBucket("c", `user-${i}`) / 10)]++;
    for (const n of counts) expect(n).toBeGreaterThan(150); // 200 expected per decile
    const differ = users.filter((u) => canaryBucket("c", u) !== canaryBucket("other-route", u));
    expect(differ.length).toBeGreaterThan(30);
  });

  it("does not shadow to the destination a canary already chose", () => {
    const t: RoutingTable = { ...table, routes: [{ name: "s", match: { targetHostName: "s.example.com" }, destination: "hub-a", canary: { destination: "hub-b", percent: 100 }, shadow: "hub-b" }] };
    expect(resolveRoute(t, { targetHostName: "s.example.com", unsId: "u" })).toEqual({ route: "s", destination: "hub-b", canary: { bucket: canaryBucket("s", "u"), percent: 100, chosen: true } });
  });
});
