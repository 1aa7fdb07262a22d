import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../support/until.js";
import { startBridge, type RunningBridge } from "../../src/bridge.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/observability/logger.js";
import { REQUEST_ID_ATTRIBUTE } from "../../src/observability/tracing.js";
import { startTracing } from "../../src/observability/tracing-sdk.js";
import { HUB, startHubsFixture, type HubsFixture } from "../support/hubs-fixture.js";
import { Writable } from "node:stream";

describe("tracing across accept, outbox and the NH call", () => {
  let f: HubsFixture;
  let bridge: RunningBridge;
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    f = await startHubsFixture();
    await f.register("dave");
    const config = loadConfig({
      PORT: "0", NOTIFICATIONHUBS_CONNECTION_STRING: f.connectionString, NOTIFICATION_HUB_NAME: HUB,
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), "gnb-trace-")), "b.db")}`, OUTBOX_POLL_INTERVAL_MS: "10",
      OUTBOX_THREAD: "false", // the in-memory span exporter lives on this thread, so the outbox worker must too
    });
    const silent = new Writable({ write: (_c, _e, cb) => cb() });
    bridge = await startBridge(config, { tracing: startTracing({ serviceName: "gnb-test", exporter }), logger: createLogger({ level: "info", destination: silent }) });
  });
  afterAll(async () => {
    await bridge.shutdown();
    await f.close();
  });

  it("links the outbox delivery and its NH send to the accepting request by its request id", async () => {
    const res = await fetch(`${bridge.url}/beta/me/notifications`, {
      method: "POST", headers: { "Content-Type": "application/json", "X-UNS-ID": "dave" },
      body: JSON.stringify({ targetHostName: "notify.contoso.com", payload: { rawContent: "hi" }, targetPolicy: { platformTypes: ["android"] } }),
    });
    expect(res.status).toBe(201);
    const requestId = res.headers.get("request-id")!;
    const spans = await until("the nh send span", () => {
      const s = exporter.getFinishedSpans();
      return s.some((x) => x.name === "nh send") && s.some((x) => x.name.startsWith("POST")) ? s : undefined;
    });
    const accept = spans.find((s) => s.name === "POST /beta/me/notifications")!;
    expect(accept.attributes[REQUEST_ID_ATTRIBUTE]).toBe(requestId);
    const delivery = spans.find((s) => s.name === "outbox delivery")!;
    expect(delivery.attributes[REQUEST_ID_ATTRIBUTE]).toBe(requestId);
    expect(delivery.links[0].context.spanId).toBe(accept.spanContext().spanId);
    const nh = spans.find((s) => s.name === "nh send")!;
    expect(nh.spanContext().traceId).toBe(delivery.spanContext().traceId);
    expect(nh.attributes["nh.tracking_id"]).toEqual(expect.any(String));
  });
});
