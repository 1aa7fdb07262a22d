import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { startBridge, type RunningBridge } from "../../src/bridge.js";
import { loadConfig } from "../../src/config.js";
import { createMetrics } from "../../src/observability/metrics.js";
import { makeSqliteUrl } from "../process/bridge-process.js";
import { startDeviceHub, type DeviceHub } from "../process/device-hub.js";
import { aVisualNotification } from "../process/legacy-load.js";
import { until } from "../support/until.js";
import { documentedAlerts, fires, parseExposition, type Scrapes, type Series } from "./alert-rules.js";

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

describe("docs/operations.md alert rules, against the metrics of a real run", () => {
  let hub: DeviceHub | undefined;
  let bridge: RunningBridge | undefined;
  afterEach(async () => {
    await bridge?.shutdown();
    await hub?.close();
    bridge = hub = undefined;
  });

  it("stay quiet while all is well; 'NH failing' fires on NH 5xx, 'NH throttling' on 429", { timeout: 60_000 }, async () => {
    const alerts = documentedAlerts(doc);
    expect([...alerts.keys()]).toEqual(expect.arrayContaining(["Dead letters increasing", "5xx rate", "NH failing", "NH throttling", "NH latency p99"]));
    hub = await startDeviceHub();
    await hub.register("alert-user");
    bridge = await startBridge(loadConfig({
      PORT: "0", NOTIFICATIONHUBS_CONNECTION_STRING: hub.connectionString, DATABASE_URL: makeSqliteUrl(), LOG_LEVEL: "silent",
      RATE_LIMIT_PER_MINUTE: "0", OUTBOX_POLL_INTERVAL_MS: "20", OUTBOX_BASE_BACKOFF_MS: "10", OUTBOX_MAX_BACKOFF_MS: "100", OUTBOX_MAX_ATTEMPTS: "100",
    }));
    const b = bridge;
    const scrape = async (): Promise<Series> => parseExposition(await (await fetch(`${b.url}/metrics`)).text());
    const counter = (s: Series, name: string) => s.filter((x) => x.name === name).reduce((a, x) => a + x.value, 0);
    const post = async (n: number, tag: string) => {
      for (let i = 0; i < n; i++) {
        const res = await fetch(`${b.url}/beta/me/notifications`, { method: "POST", headers: { "content-type": "application/json", "x-uns-id": "alert-user" }, body: JSON.stringify(aVisualNotification(`${tag}-${i}`, new Date())) });
        expect(res.status).toBe(201);
      }
    };
    /** Runs `act`, waits until `settled` holds for a scrape, and says which documented alerts would fire over that window. */
    const firingDuring = async (act: () => Promise<void>, settled: (s: Series) => boolean): Promise<string[]> => {
      const before = await scrape();
      const t0 = Date.now();
      await act();
      const after = await until("the metrics to show it", async () => { const s = await scrape(); return settled(s) ? s : undefined; }, 20_000);
      const window: Scrapes = { before, after, seconds: (Date.now() - t0) / 1000 };
      return [...alerts].filter(([, expr]) => fires(expr, window)).map(([name]) => name).sort();
    };

    const sent = (s: Series) => counter(s, "gnb_deliveries_total") >= 12;
    expect(await firingDuring(() => post(3, "ok"), sent)).toEqual([]);

    await hub.setFaults({ serverError: { status: 503 } });
    const retried = (n: number) => (s: Series) => counter(s, "gnb_delivery_retries_total") >= n;
    expect(await firingDuring(() => post(2, "nh5xx"), retried(16))).toEqual(["NH failing"]);

    await hub.setFaults({ throttle: { retryAfterSeconds: 0 } });
    const throttled = await firingDuring(async () => undefined, (s) => s.some((x) => x.name === "gnb_hub_responses_total" && x.labels.status === "429" && x.value >= 8));
    expect(throttled).toContain("NH throttling");
    expect(throttled).not.toContain("5xx rate"); // callers were answered 201 all along
  });
});
