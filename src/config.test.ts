import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, ConfigError, loadConfig, redactConfig } from "./config.js";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("runs on embedded defaults with an empty environment", () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(8080);
    expect(c.HOST).toBe("127.0.0.1");
    expect(c.BRIDGE_STRATEGY).toBe("hubs");
    expect(c.embeddedEmulator).toBe(true);
    expect(c.TARGET_TAG_TEMPLATE).toBe("$UserId:{unsId}");
    expect(c.IOS_FALLBACK_MODE).toBe("deferred");
    expect(c.DATABASE_URL).toBe("sqlite:./data/bridge.db");
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("uses a configured hub instead of the emulator", () => {
    const c = loadConfig({ NOTIFICATIONHUBS_CONNECTION_STRING: "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Full;SharedAccessKey=abc", NOTIFICATION_HUB_NAME: "prod" });
    expect(c.embeddedEmulator).toBe(false);
  });

  it("matches enum values case-insensitively", () => {
    expect(loadConfig({ BRIDGE_STRATEGY: "HUBS", IOS_FALLBACK_MODE: "Immediate" }).IOS_FALLBACK_MODE).toBe("immediate");
  });

  it("says what graph mode needs", () => {
    const p = problemsOf({ BRIDGE_STRATEGY: "graph" });
    expect(p.join("\n")).toContain("GRAPH_TENANT_ID");
    expect(p.join("\n")).toContain("GRAPH_CLIENT_ID");
    expect(p.join("\n")).toContain("GRAPH_CLIENT_SECRET");
    expect(loadConfig({ BRIDGE_STRATEGY: "graph", GRAPH_AUTH: "passthrough" }).GRAPH_AUTH).toBe("passthrough");
  });

  it("allows plain-http Graph only on loopback", () => {
    const graph = { BRIDGE_STRATEGY: "graph", GRAPH_AUTH: "passthrough" };
    expect(loadConfig({ ...graph, GRAPH_BASE_URL: "http://127.0.0.1:9000" }).GRAPH_BASE_URL).toBe("http://127.0.0.1:9000");
    expect(loadConfig({ ...graph, GRAPH_BASE_URL: "http://localhost:9000" }).GRAPH_BASE_URL).toBe("http://localhost:9000");
    expect(problemsOf({ ...graph, GRAPH_BASE_URL: "http://graph.example.com" })[0]).toContain("loopback");
  });

  it("allows a plain-http hub endpoint only on loopback or with an explicit opt-in", () => {
    const cs = (host: string) => `Endpoint=http://${host}:10110/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=k`;
    expect(loadConfig({ NOTIFICATIONHUBS_CONNECTION_STRING: cs("127.0.0.1") }).embeddedEmulator).toBe(false);
    expect(problemsOf({ NOTIFICATIONHUBS_CONNECTION_STRING: cs("10.1.2.3") })[0]).toContain("NH_ALLOW_INSECURE_HTTP");
    expect(loadConfig({ NOTIFICATIONHUBS_CONNECTION_STRING: cs("10.1.2.3"), NH_ALLOW_INSECURE_HTTP: "true" }).NH_ALLOW_INSECURE_HTTP).toBe(true);
  });

  it("rejects a malformed connection string with the expected shape", () => {
    expect(problemsOf({ NOTIFICATIONHUBS_CONNECTION_STRING: "nonsense" })[0]).toContain("Endpoint=sb://");
  });

  it("rejects AUTH_MODE=none on a public bind unless forced", () => {
    const [problem] = problemsOf({ HOST: "0.0.0.0" });
    expect(problem).toContain("AUTH_ALLOW_INSECURE");
    // The value in use is quoted as what HOST is, never written as a setting to copy (HOST=0.0.0.0).
    expect(problem).toContain("HOST is '0.0.0.0'");
    expect(problem).toContain("Set HOST=127.0.0.1");
    expect(problem).not.toContain("HOST=0.0.0.0");
    expect(loadConfig({ HOST: "0.0.0.0", AUTH_ALLOW_INSECURE: "true" }).HOST).toBe("0.0.0.0");
  });

  it("says what entra mode needs", () => {
    const p = problemsOf({ AUTH_MODE: "entra" }).join("\n");
    expect(p).toContain("AUTH_TENANT_ID");
    expect(p).toContain("AUTH_APP_HOSTS");
  });

  it("refuses a plain-http OpenID metadata URL except on loopback", () => {
    const entra = { AUTH_MODE: "entra", AUTH_TENANT_ID: "t", AUTH_APP_HOSTS: "{}" };
    expect(problemsOf({ ...entra, AUTH_OPENID_METADATA_URL: "http://idp.example.com/.well-known/openid-configuration" })[0]).toContain("https");
    expect(loadConfig({ ...entra, AUTH_OPENID_METADATA_URL: "http://127.0.0.1:9/meta" }).AUTH_OPENID_METADATA_URL).toBe("http://127.0.0.1:9/meta");
  });

  it("reads app-host rules from a file", () => {
    const c = loadConfig({ AUTH_MODE: "entra", AUTH_TENANT_ID: "t1, t2", AUTH_APP_HOSTS_FILE: "/rules.json" }, () => '{"app":["h"]}');
    expect(c.AUTH_TENANT_ID).toEqual(["t1", "t2"]);
    expect(c.AUTH_APP_HOSTS_JSON).toBe('{"app":["h"]}');
  });

  it("reports bad numbers and enums with the variable name", () => {
    const p = problemsOf({ PORT: "eighty", BRIDGE_STRATEGY: "carrier-pigeon", RATE_LIMIT_STATUS: "418" });
    expect(p.find((x) => x.startsWith("PORT:"))).toContain("whole number");
    expect(p.find((x) => x.startsWith("BRIDGE_STRATEGY:"))).toContain("hubs, graph");
    expect(p.find((x) => x.startsWith("RATE_LIMIT_STATUS:"))).toContain("429 or 406");
  });

  it("keeps idle connections for 65 s unless told otherwise, within 1 s to 1 hour", () => {
    expect(loadConfig({}).KEEP_ALIVE_TIMEOUT_MS).toBe(65_000);
    expect(loadConfig({ KEEP_ALIVE_TIMEOUT_MS: "120000" }).KEEP_ALIVE_TIMEOUT_MS).toBe(120_000);
    expect(problemsOf({ KEEP_ALIVE_TIMEOUT_MS: "500" }).find((x) => x.startsWith("KEEP_ALIVE_TIMEOUT_MS:"))).toBeDefined();
    expect(problemsOf({ KEEP_ALIVE_TIMEOUT_MS: "3600001" }).find((x) => x.startsWith("KEEP_ALIVE_TIMEOUT_MS:"))).toBeDefined();
  });

  it("caps the outbox thread's old generation at 512 MB unless told otherwise; 0 leaves V8's default, and a cap below the live heap is refused", () => {
    expect(loadConfig({}).OUTBOX_THREAD_MAX_OLD_GENERATION_MB).toBe(512);
    expect(loadConfig({ OUTBOX_THREAD_MAX_OLD_GENERATION_MB: "0" }).OUTBOX_THREAD_MAX_OLD_GENERATION_MB).toBe(0);
    expect(problemsOf({ OUTBOX_THREAD_MAX_OLD_GENERATION_MB: "32" }).find((x) => x.startsWith("OUTBOX_THREAD_MAX_OLD_GENERATION_MB:"))).toContain("at least 64");
  });

  it("refuses deferred iOS fallback without the outbox", () => {
    expect(problemsOf({ DELIVERY_MODE: "direct", IOS_FALLBACK_MODE: "deferred" })[0]).toContain("outbox");
    expect(loadConfig({ DELIVERY_MODE: "direct" }).IOS_FALLBACK_MODE).toBe("immediate");
  });

  it("refuses outbox settings whose lease cannot cover a claimed batch, naming them", () => {
    expect(loadConfig({}).OUTBOX_BATCH_SIZE).toBe(128);
    const [problem] = problemsOf({ OUTBOX_BATCH_SIZE: "500" });
    expect(problem).toMatch(/^OUTBOX_BATCH_SIZE: .*OUTBOX_CONCURRENCY=64.*NH_TIMEOUT_MS=10000.*OUTBOX_LEASE_MS=30000/);
    expect(loadConfig({ OUTBOX_BATCH_SIZE: "500", OUTBOX_LEASE_MS: "81000" }).OUTBOX_LEASE_MS).toBe(81_000);
    expect(problemsOf({ OUTBOX_LEASE_MS: "2000" })[0]).toMatch(/^OUTBOX_LEASE_MS: .*NH_TIMEOUT_MS/);
    expect(loadConfig({ DELIVERY_MODE: "direct", OUTBOX_LEASE_MS: "2000" }).OUTBOX_LEASE_MS).toBe(2000); // no outbox, no lease
  });

  it("requires the {unsId} placeholder in the tag template", () => {
    expect(problemsOf({ TARGET_TAG_TEMPLATE: "$UserId:fixed" })[0]).toContain("{unsId}");
    // Refused at start-up, not discovered as dead letters (NH answers 400 to every send).
    expect(problemsOf({ TARGET_TAG_TEMPLATE: "user:{unsId} &&" })).toEqual([
      expect.stringMatching(/^TARGET_TAG_TEMPLATE: The tag template 'user:\{unsId\} &&' is not a valid Notification Hubs tag expression: the expression ends too early/),
    ]);
  });

  it("runs one API process unless told otherwise, and refuses API processes that could not share the work", () => {
    expect(loadConfig({}).API_PROCESSES).toBe(1);
    expect(loadConfig({ API_PROCESSES: "4" }).API_PROCESSES).toBe(4);
    expect(problemsOf({ API_PROCESSES: "0" })).toEqual([expect.stringMatching(/^API_PROCESSES: /)]);
    for (const role of ["api", "worker"]) expect(problemsOf({ API_PROCESSES: "2", BRIDGE_ROLE: role })).toEqual([expect.stringMatching(/^API_PROCESSES: .* needs BRIDGE_ROLE=all/)]);
    expect(problemsOf({ API_PROCESSES: "2", DATABASE_URL: "sqlite::memory:" })).toEqual([expect.stringMatching(/^API_PROCESSES: processes must share a database/)]);
    expect(loadConfig({ API_PROCESSES: "2", DELIVERY_MODE: "direct", IOS_FALLBACK_MODE: "immediate", DATABASE_URL: "sqlite::memory:" }).API_PROCESSES).toBe(2);
  });

  it("masks secrets when printed", () => {
    const c = loadConfig({ NOTIFICATIONHUBS_CONNECTION_STRING: "Endpoint=sb://n/;SharedAccessKeyName=a;SharedAccessKey=topsecret", ADMIN_TOKEN: "0123456789abcdef0123" });
    const shown = JSON.stringify(redactConfig(c));
    expect(shown).not.toContain("topsecret");
    expect(shown).not.toContain("0123456789abcdef0123");
  });

  it("is documented variable by variable in docs/configuration.md", () => {
    const doc = readFileSync(new URL("../docs/configuration.md", import.meta.url), "utf8");
    const missing = CONFIG_KEYS.filter((k) => !doc.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });
});
