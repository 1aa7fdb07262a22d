import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, loadRoutingFile, redactConfig } from "./config.js";
import { RoutingFileError } from "./routing/routing-file.js";

const CS = "Endpoint=sb://contoso-a.servicebus.windows.net/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=c2VjcmV0LWtleQ==";
const FILE = JSON.stringify({
  destinations: { "hub-a": { type: "hubs", connectionString: "env:HUB_A", hubName: "hub-a" }, legacy: { type: "graph" } },
  routes: [{ match: { targetHostName: "old.example.com" }, destination: "legacy" }],
  default: "hub-a",
});
const files: Record<string, string> = { "/etc/gnb/routing.json": FILE, "/etc/gnb/broken.json": '{"destinations": {}, "default": "x"}' };
const readFile = (p: string) => {
  if (!(p in files)) throw new Error(`ENOENT: no such file, open '${p}'`);
  return files[p];
};
const base = { ROUTING_FILE: "/etc/gnb/routing.json", HUB_A: CS, GRAPH_AUTH: "passthrough" };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, readFile);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("ROUTING_FILE in the configuration", () => {
  it("loads the routing table at start-up, with its secrets from the environment, and runs no embedded emulator", () => {
    const c = loadConfig(base, readFile);
    expect(c.routing?.destinations["hub-a"]).toMatchObject({ type: "hubs", connectionString: CS, hubName: "hub-a" });
    expect(c.routing?.default).toBe("hub-a");
    expect(c.routingWarnings).toEqual([]);
    expect(c.embeddedEmulator).toBe(false);
  });

  it("leaves today's single-destination settings alone without it", () => {
    const c = loadConfig({});
    expect(c.routing).toBeUndefined();
    expect(c.embeddedEmulator).toBe(true);
  });

  it("prefixes each problem of the file with the setting and the file's path", () => {
    expect(problemsOf({ ...base, ROUTING_FILE: "/etc/gnb/broken.json" })).toEqual([
      "ROUTING_FILE: /etc/gnb/broken.json: destinations: define at least one destination",
    ]);
    expect(problemsOf({ ...base, ROUTING_FILE: "/etc/gnb/missing.json" })).toEqual([expect.stringMatching(/^ROUTING_FILE: \/etc\/gnb\/missing\.json: cannot read .*ENOENT/)]);
    expect(problemsOf({ ROUTING_FILE: "/etc/gnb/routing.json", GRAPH_AUTH: "passthrough" })).toEqual([
      "ROUTING_FILE: /etc/gnb/routing.json: destinations.hub-a.connectionString: the environment variable HUB_A is not set",
    ]);
  });

  it("refuses settings routing cannot honour, and checks Graph's settings when a destination forwards to Graph", () => {
    expect(problemsOf({ ...base, DELIVERY_MODE: "direct", IOS_FALLBACK_MODE: "immediate" })).toEqual([expect.stringMatching(/^ROUTING_FILE: routing delivers through the durable outbox/)]);
    expect(problemsOf({ ...base, BRIDGE_STRATEGY: "graph" })).toContain('BRIDGE_STRATEGY: with ROUTING_FILE the destinations decide; name a destination of type "graph" in the file instead');
    expect(problemsOf({ ...base, API_PROCESSES: "2" })).toEqual([expect.stringMatching(/^ROUTING_FILE: a reload would reach one API process only/)]);
    const { GRAPH_AUTH: _passthrough, ...appAuth } = base;
    expect(problemsOf(appAuth)).toEqual(expect.arrayContaining([expect.stringMatching(/^GRAPH_TENANT_ID: a destination of type graph with GRAPH_AUTH=app/)]));
  });

  it("never prints a routing secret", () => {
    const shown = JSON.stringify(redactConfig(loadConfig(base, readFile)));
    expect(shown).not.toContain("c2VjcmV0LWtleQ==");
    expect(shown).toContain('"connectionString":"env:HUB_A"');
    expect(shown).toContain("sb://contoso-a.servicebus.windows.net/");
  });

  it("re-reads the file with the environment it is given (what a reload does)", () => {
    const { table } = loadRoutingFile({ ROUTING_FILE: "/etc/gnb/routing.json", NH_ALLOW_INSECURE_HTTP: false }, { HUB_A: CS }, readFile);
    expect(table.routes[0]).toMatchObject({ name: "host:old.example.com", destination: "legacy" });
    expect(() => loadRoutingFile({ ROUTING_FILE: "/etc/gnb/broken.json", NH_ALLOW_INSECURE_HTTP: false }, {}, readFile)).toThrow(RoutingFileError);
  });
});
