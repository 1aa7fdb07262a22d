import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/observability/metrics.js";

const doc = readFileSync(new URL("../../docs/operations.md", import.meta.url), "utf8");

/** Rows of the metrics table: | `name` | type | `label`, `label` | meaning | */
function documentedMetrics(): Map<string, { type: string; labels: string[] }> {
  const rows = new Map<string, { type: string; labels: string[] }>();
  for (const match of doc.matchAll(/^\| `(gnb_[a-z0-9_]+)` \| (\w+) \| ([^|]*) \|/gm)) {
    const labels = [...match[3].matchAll(/`([a-z_]+)`/g)].map((l) => l[1]);
    rows.set(match[1], { type: match[2], labels });
  }
  return rows;
}

describe("docs/operations.md", () => {
  const registered = createMetrics({ collectDefault: false }).registry.getMetricsAsArray();

  it("documents every registered bridge metric with its type and labels", () => {
    const documented = documentedMetrics();
    expect(documented.size).toBe(registered.length);
    for (const metric of registered) {
      const labelNames = (metric as unknown as { labelNames: string[] }).labelNames;
      expect(documented.get(metric.name), metric.name).toEqual({ type: metric.type, labels: [...labelNames] });
    }
  });

  it("mentions no bridge metric that is not registered (histogram suffixes and process metrics aside)", () => {
    const names = new Set(registered.map((m) => m.name));
    const withDefaults = createMetrics({ collectDefault: true }).registry.getMetricsAsArray().map((m) => m.name);
    const mentioned = new Set([...doc.matchAll(/\bgnb_[a-z0-9_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, "")));
    for (const name of mentioned) {
      if (/^gnb_(process|nodejs)_/.test(name)) expect(withDefaults, name).toContain(name);
      else expect(names, name).toContain(name);
    }
  });

  it("documents the configuration names the operations rely on", () => {
    for (const name of [
      "LOG_LEVEL",
      "SHUTDOWN_TIMEOUT_MS",
      "OTEL_EXPORTER_OTLP_ENDPOINT",
      "DATABASE_URL",
      "OUTBOX_LEASE_MS",
      "OUTBOX_MAX_ATTEMPTS",
    ]) {
      expect(doc).toContain(`\`${name}\``);
    }
  });
});
