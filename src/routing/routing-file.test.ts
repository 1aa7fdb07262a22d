import { describe, expect, it } from "vitest";
import { parseRoutingFile, RoutingFileError } from "./routing-file.js";

const CS_A = "Endpoint=sb://contoso-a.servicebus.windows.net/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=a2V5LWE=";
const CS_B = "Endpoint=sb://contoso-b.servicebus.windows.net/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=a2V5LWI=";
const env = { HUB_A_CONNECTION_STRING: CS_A, HUB_B_CONNECTION_STRING: CS_B };

/** The example, with a real app id. */
const EXAMPLE = {
  destinations: {
    "hub-a": { type: "hubs", connectionString: "env:HUB_A_CONNECTION_STRING", hubName: "hub-a" },
    "hub-b": { type: "hubs", connectionString: "env:HUB_B_CONNECTION_STRING", hubName: "hub-b", tagTemplate: "$UserId:{unsId}" },
    legacy: { type: "graph" },
    nowhere: { type: "dry-run" },
  },
  routes: [
    { match: { targetHostName: "a.example.com" }, destination: "hub-a" },
    { match: { targetHostName: "c.example.com" }, destination: "hub-a", canary: { destination: "hub-b", percent: 10 } },
    { match: { targetHostName: "e.example.com" }, destination: "hub-a", shadow: "hub-b" },
    { match: { appId: "1c5a0b7e-0000-4000-8000-000000000001", targetHostName: "d.example.com" }, destination: "nowhere" },
  ],
  default: "hub-a",
};

const parse = (file: unknown, e: Record<string, string> = env) => parseRoutingFile(JSON.stringify(file), { env: e, allowInsecureHttp: false });
function problemsOf(file: unknown, e: Record<string, string> = env): string[] {
  try {
    parse(file, e);
  } catch (err) {
    if (err instanceof RoutingFileError) return err.problems;
    throw err;
  }
  throw new Error("expected a RoutingFileError");
}
const withRoute = (i: number, patch: Record<string, unknown>) => ({ ...EXAMPLE, routes: EXAMPLE.routes.map((r, j) => (j === i ? { ...r, ...patch } : r)) });

describe("the routing file", () => {
  it("reads the documented shape, resolving env: secrets and naming routes by their match", () => {
    const { table, warnings } = parse(EXAMPLE);
    expect(warnings).toEqual([]);
    expect(table.default).toBe("hub-a");
    expect(table.destinations["hub-a"]).toEqual({ type: "hubs", connectionString: CS_A, connectionStringSource: "env:HUB_A_CONNECTION_STRING", hubName: "hub-a" });
    expect(table.destinations["hub-b"]).toMatchObject({ tagTemplate: "$UserId:{unsId}" });
    expect(table.destinations.legacy).toEqual({ type: "graph" });
    expect(table.routes.map((r) => r.name)).toEqual(["host:a.example.com", "host:c.example.com", "host:e.example.com", "app:1c5a0b7e-0000-4000-8000-000000000001+host:d.example.com"]);
    expect(table.routes[1].canary).toEqual({ destination: "hub-b", percent: 10 });
    expect(table.routes[2].shadow).toBe("hub-b");
  });

  it("lower-cases host names and app ids, and keeps a route's own name", () => {
    const { table } = parse({ ...EXAMPLE, routes: [{ name: "orders", match: { targetHostName: "Orders.Example.COM", appId: "ABC" }, destination: "hub-a" }] });
    expect(table.routes[0]).toEqual({ name: "orders", match: { targetHostName: "orders.example.com", appId: "abc" }, destination: "hub-a" });
  });

  it("names the place in the file of each problem", () => {
    expect(problemsOf(withRoute(1, { canary: { destination: "hub-b", percent: 150 } }))).toEqual([expect.stringMatching(/^routes\[1\]\.canary\.percent: /)]);
    expect(problemsOf(withRoute(2, { match: {} }))).toEqual([expect.stringMatching(/^routes\[2\]\.match: name targetHostName, appId or both/)]);
    expect(problemsOf(withRoute(0, { destinaton: "hub-a" }))[0]).toMatch(/^routes\[0\]: .*destinaton/);
    expect(problemsOf({ ...EXAMPLE, destinations: { ...EXAMPLE.destinations, x: { type: "apns" } } })[0]).toMatch(/^destinations\.x\.type: /);
    expect(problemsOf({ ...EXAMPLE, destinations: { ...EXAMPLE.destinations, "hub-a": { type: "hubs", hubName: "hub-a" } } })[0]).toMatch(/^destinations\.hub-a\.connectionString: /);
  });

  it("refuses references to destinations that do not exist, listing the ones that do", () => {
    const p = problemsOf({ ...withRoute(1, { canary: { destination: "hub-z", percent: 10 } }), default: "nope" });
    expect(p).toContain("default: unknown destination 'nope' (defined: hub-a, hub-b, legacy, nowhere)");
    expect(p).toContain("routes[1].canary.destination: unknown destination 'hub-z' (defined: hub-a, hub-b, legacy, nowhere)");
    expect(problemsOf(withRoute(0, { destination: "hub-q" }))).toEqual(["routes[0].destination: unknown destination 'hub-q' (defined: hub-a, hub-b, legacy, nowhere)"]);
    expect(problemsOf(withRoute(2, { shadow: "gone" }))).toEqual(["routes[2].shadow: unknown destination 'gone' (defined: hub-a, hub-b, legacy, nowhere)"]);
  });

  it("refuses a shadow that is not a hub, or the route's own destination; a canary to itself; duplicate names", () => {
    expect(problemsOf(withRoute(2, { shadow: "legacy" }))).toEqual(["routes[2].shadow: 'legacy' is of type graph; a shadow must be a hubs destination"]);
    expect(problemsOf(withRoute(2, { shadow: "hub-a" }))).toEqual(["routes[2].shadow: the shadow must differ from the route's destination"]);
    expect(problemsOf(withRoute(1, { canary: { destination: "hub-a", percent: 5 } }))).toEqual(["routes[1].canary.destination: the canary must differ from the route's destination"]);
    expect(problemsOf({ ...EXAMPLE, routes: [EXAMPLE.routes[0], EXAMPLE.routes[0]] })).toEqual(["routes[1]: same name 'host:a.example.com' as routes[0]; give one of them a distinct \"name\""]);
    expect(problemsOf(withRoute(0, { name: "default" }))).toEqual(["routes[0].name: 'default' names the file's default; choose another name"]);
  });

  it("needs every env: secret set and well formed, and warns about a secret written in the file", () => {
    expect(problemsOf(EXAMPLE, { HUB_A_CONNECTION_STRING: CS_A })).toEqual(["destinations.hub-b.connectionString: the environment variable HUB_B_CONNECTION_STRING is not set"]);
    expect(problemsOf(EXAMPLE, { ...env, HUB_B_CONNECTION_STRING: "nonsense" })[0]).toMatch(/^destinations\.hub-b\.connectionString: expected Endpoint=sb:\/\//);
    const literal = parse({ ...EXAMPLE, destinations: { ...EXAMPLE.destinations, "hub-a": { type: "hubs", connectionString: CS_A, hubName: "hub-a" } } });
    expect(literal.table.destinations["hub-a"]).toMatchObject({ connectionString: CS_A, connectionStringSource: "literal" });
    expect(literal.warnings).toEqual([expect.stringMatching(/^destinations\.hub-a\.connectionString: a secret written in the routing file/)]);
  });

  it("allows plain http only on loopback, checks tag templates, and says when the text is not JSON", () => {
    const http = (host: string) => `Endpoint=http://${host}:10110/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=k`;
    expect(parse(EXAMPLE, { ...env, HUB_A_CONNECTION_STRING: http("127.0.0.1") }).table.destinations["hub-a"]).toMatchObject({ type: "hubs" });
    expect(problemsOf(EXAMPLE, { ...env, HUB_A_CONNECTION_STRING: http("10.0.0.9") })[0]).toContain("NH_ALLOW_INSECURE_HTTP");
    const badTag = { ...EXAMPLE, destinations: { ...EXAMPLE.destinations, "hub-b": { ...EXAMPLE.destinations["hub-b"], tagTemplate: "$UserId:fixed" } } };
    expect(problemsOf(badTag)[0]).toMatch(/^destinations\.hub-b\.tagTemplate: .*\{unsId\}/);
    expect(() => parseRoutingFile("{ nope", { env, allowInsecureHttp: false })).toThrow(/\(file\): not valid JSON/);
  });
});
