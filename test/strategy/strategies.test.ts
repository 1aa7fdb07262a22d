import type { AddressInfo } from "node:net";
import { createGraphStrategy } from "../../src/delivery/graph/graph-strategy.js";
import { createGraphTokenProvider } from "../../src/delivery/graph/graph-token.js";
import { createHubClient } from "../../src/delivery/hubs/hub-client.js";
import { cacheReadiness, createHubSender } from "../../src/delivery/hubs/hub-sender.js";
import { createNotificationHubsStrategy } from "../../src/delivery/hubs/hubs-strategy.js";
import { startEmulator } from "../../src/emulator/server.js";
import { createOutbox } from "../../src/outbox/create-outbox.js";
import { startFakeEntra } from "../support/fake-entra.js";
import { startFakeGraph } from "../support/fake-graph.js";
import { devicesFor, freshSqliteStore } from "../support/hubs-fixture.js";
import { RECORDED_NOW } from "../support/test-app.js";
import { describeStrategyContract } from "./strategy.contract.js";

const now = () => RECORDED_NOW;
const HUB = "contract";

async function hubsHarness(mode: "direct" | "outbox") {
  const emulator = await startEmulator({ port: 0 });
  const client = createHubClient({ connectionString: emulator.connectionString(), hubName: HUB, allowInsecureHttp: true });
  for (const d of devicesFor("contract-user")) await client.createOrUpdateInstallation(d);
  // A healthy answer is trusted for 10 s; each state change moves the cache's clock past that window.
  let senderTime = RECORDED_NOW.getTime();
  const sender = cacheReadiness(createHubSender(client, { timeoutMs: 2000, now }), () => new Date(senderTime));
  const store = mode === "outbox" ? await freshSqliteStore() : undefined;
  const strategy = createNotificationHubsStrategy({ sender, tagTemplate: "$UserId:{unsId}", iosFallbackMode: "immediate", now, mode: store ? { kind: "outbox", store } : { kind: "direct" } });
  const worker = store ? createOutbox({ store, sender, now, owner: "contract" }) : undefined;
  return {
    strategy,
    setUpstreamDown: (down: boolean) => {
      senderTime += 10_000;
      emulator.emulator.setFaults(HUB, down ? { serverError: { status: 503 } } : undefined);
    },
    upstreamCalls: () => emulator.emulator.view.listDeliveries({ hub: HUB }).length,
    settle: async () => {
      await worker?.runOnce();
    },
    close: async () => {
      await store?.close();
      await emulator.close();
    },
  };
}

async function graphHarness() {
  const entra = await startFakeEntra({ tenantId: "t", clientId: "c", clientSecret: "s" });
  const graph = await startFakeGraph(() => {
    const id = crypto.randomUUID();
    return { status: 201, body: { id }, headers: { Location: `https://graph.microsoft.com/beta/me/activities/${id}` } };
  });
  const { port } = graph.server.address() as AddressInfo;
  const token = createGraphTokenProvider({ tenantId: "t", clientId: "c", clientSecret: "s", authorityHost: "https://login.microsoftonline.com", networkClient: entra.networkClient });
  return {
    strategy: createGraphStrategy({ baseUrl: graph.url, timeoutMs: 2000, auth: { kind: "app", token } }),
    setUpstreamDown: async (down: boolean) => {
      if (down) await new Promise<void>((r) => { graph.server.closeAllConnections(); graph.server.close(() => r()); });
      else await new Promise<void>((r) => graph.server.listen(port, "127.0.0.1", () => r()));
    },
    upstreamCalls: () => graph.calls.length,
    close: async () => {
      if (graph.server.listening) await graph.close();
      await entra.close();
    },
  };
}

describeStrategyContract("hubs (direct)", () => hubsHarness("direct"));
describeStrategyContract("hubs (outbox)", () => hubsHarness("outbox"));
describeStrategyContract("graph", graphHarness);
