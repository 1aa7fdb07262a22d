import { describe, expect, it } from "vitest";
import { hubsForHost } from "./routed-installations.js";
import type { RoutingTable } from "./types.js";

const hubs = (hubName: string) => ({ type: "hubs" as const, connectionString: "cs", connectionStringSource: "env:X", hubName });
const table: RoutingTable = {
  destinations: { a: hubs("a"), b: hubs("b"), c: hubs("c"), legacy: { type: "graph" }, nowhere: { type: "dry-run" } },
  routes: [
    { name: "one", match: { targetHostName: "one.example.com" }, destination: "b", canary: { destination: "c", percent: 10 } },
    { name: "two", match: { targetHostName: "two.example.com" }, destination: "legacy", shadow: "c" },
    { name: "app", match: { targetHostName: "three.example.com", appId: "svc" }, destination: "b" },
    { name: "dry", match: { targetHostName: "four.example.com" }, destination: "nowhere" },
  ],
  default: "a",
};

describe("the hubs a host's devices are registered with", () => {
  it("are every hub its route can deliver by: destination and canary, not the default it never reaches", () => {
    expect(hubsForHost(table, "One.Example.com")).toEqual(["b", "c"]);
  });
  it("include a shadow hub, and leave out Graph and dry runs", () => {
    expect(hubsForHost(table, "two.example.com")).toEqual(["c"]);
    expect(hubsForHost(table, "four.example.com")).toEqual([]);
  });
  it("include the default when a route takes only one app's notifications for the host, or none matches", () => {
    expect(hubsForHost(table, "three.example.com")).toEqual(["b", "a"]);
    expect(hubsForHost(table, "other.example.com")).toEqual(["a"]);
  });
  it("include routes that match on the app alone, whatever the host", () => {
    const t: RoutingTable = { ...table, routes: [{ name: "svc", match: { appId: "svc" }, destination: "c" }] };
    expect(hubsForHost(t, "x.example.com")).toEqual(["c", "a"]);
  });
});
