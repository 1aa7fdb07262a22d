import { readFileSync } from "node:fs";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { parseRoutingFile } from "../../src/routing/routing-file.js";
import { createRoutingMetrics } from "../../src/routing/routing-metrics.js";

const doc = readFileSync(new URL("../../docs/routing.md", import.meta.url), "utf8");
const CS = "Endpoint=sb://contoso.servicebus.windows.net/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=a2V5";
const jsonBlocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
const envFor = (text: string) => Object.fromEntries([...text.matchAll(/env:([A-Z0-9_]+)/g)].map((m) => [m[1], CS]));

/** docs/routing.md is checked against the code: its files, its route snippets, its errors, its metrics. */
describe("docs/routing.md", () => {
  it("shows routing files the bridge accepts", () => {
    expect(jsonBlocks.length).toBeGreaterThanOrEqual(2);
    for (const text of jsonBlocks) {
      const { table } = parseRoutingFile(text, { env: envFor(text), allowInsecureHttp: false });
      expect(Object.keys(table.destinations).length).toBeGreaterThan(0);
    }
  });

  it("shows routes (the migration steps) that fit the migration's file", () => {
    const base = JSON.parse(jsonBlocks[1]) as { routes: unknown[] };
    const snippets = [...doc.matchAll(/`(\{ "name": [^`]+\})`/g)].map((m) => m[1]);
    expect(snippets.length).toBeGreaterThanOrEqual(3);
    for (const s of snippets) {
      const text = JSON.stringify({ ...base, routes: [JSON.parse(s)] });
      expect(() => parseRoutingFile(text, { env: envFor(text), allowInsecureHttp: false })).not.toThrow();
    }
  });

  it("quotes the errors the bridge really gives", () => {
    const example = JSON.parse(jsonBlocks[0]) as { routes: Array<Record<string, unknown>> };
    example.routes[1] = { ...example.routes[1], canary: { destination: "hub-b", percent: 150 } };
    example.routes[2] = { ...example.routes[2], shadow: "hub-c" };
    const files: Record<string, string> = { "/etc/gnb/routing.json": JSON.stringify(example) };
    let problems: string[] = [];
    const env = { ROUTING_FILE: "/etc/gnb/routing.json", HUB_A_CONNECTION_STRING: CS, GRAPH_AUTH: "passthrough" };
    try {
      loadConfig(env, (p) => files[p]);
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    const quoted = [...doc.matchAll(/^ {2}- (ROUTING_FILE: .*)$/gm)].map((m) => m[1]);
    expect(quoted).toHaveLength(2 + 1);
    // The percent problem is found first, alone (schema); the other two come from a file without it.
    expect(problems).toEqual([quoted[0]]);
    example.routes[1] = { ...example.routes[1], canary: { destination: "hub-b", percent: 10 } };
    files["/etc/gnb/routing.json"] = JSON.stringify(example);
    try {
      loadConfig(env, (p) => files[p]);
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems).toEqual([quoted[2], quoted[1]]);
  });

  it("and docs/migration.md's routing file is one the bridge accepts", () => {
    const migration = readFileSync(new URL("../../docs/migration.md", import.meta.url), "utf8");
    const blocks = [...migration.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toHaveLength(1);
    expect(parseRoutingFile(blocks[0], { env: envFor(blocks[0]), allowInsecureHttp: false }).table.default).toBe("legacy");
  });

  it("names the metrics routing exports", async () => {
    const registry = new Registry();
    createRoutingMetrics(registry);
    const names = (await registry.getMetricsAsJSON()).map((m) => m.name);
    const mentioned = [...new Set([...doc.matchAll(/`(gnb_[a-z_]+)/g)].map((m) => m[1]))];
    expect(mentioned.sort()).toEqual(names.sort());
  });
});
