import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startBridge, type RunningBridge } from "../../src/bridge.js";
import { loadConfig } from "../../src/config.js";
import { parseDemoArgs, registerDemoDevices } from "../../src/demo/register-demo-devices.js";
import { createLogger } from "../../src/observability/logger.js";
import { printWelcome } from "../../src/welcome.js";
import { until } from "../support/until.js";

/**
 * The `npm start` console's commands work as printed whatever PORT, EMULATOR_PORT and
 * NOTIFICATION_HUB_NAME were: the register command, read the way its CLI reads it in a shell
 * without those variables, registers the demo devices through the bridge's client API, and the
 * printed curl with the id it gave reaches all four.
 */
describe("the npm start console", () => {
  let bridge: RunningBridge;
  let text = "";
  beforeAll(async () => {
    const config = loadConfig({ PORT: "0", EMULATOR_PORT: "0", NOTIFICATION_HUB_NAME: "orders-hub", DATABASE_URL: "sqlite::memory:", LOG_LEVEL: "silent" });
    bridge = await startBridge(config, { logger: createLogger({ level: "silent" }) });
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    printWelcome({ bridgeUrl: bridge.url, emulatorUrl: bridge.emulatorUrl!, hub: "orders-hub", connectionString: bridge.connectionString! });
    text = log.mock.calls.map((c) => c.join(" ")).join("\n");
    log.mockRestore();
  });
  afterAll(() => bridge?.shutdown());

  /** The printed command that contains `marker`, with its `\` continuation lines, split as a shell would. */
  function command(marker: string): string[] {
    const lines = text.split("\n");
    const start = lines.findIndex((l) => l.includes(marker));
    let joined = "";
    for (let i = start; i < lines.length; i++) {
      joined += lines[i].replace(/\\$/, "");
      if (!lines[i].endsWith("\\")) break;
    }
    return [...joined.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
  }

  it("registers the demo devices through the client API and sends to the subscription id it printed", async () => {
    const [assignment, script, ...rest] = command("register-demo-devices");
    expect(assignment).toBe("UNS_ID=$(node"); // compiled by npm start's build: no tsx at run time
    expect(existsSync(script.replace(/^dist\//, "").replace(/\.js$/, ".ts"))).toBe(true);
    const args = rest.map((a) => a.replace(/\)$/, ""));
    const options = parseDemoArgs(args, {});
    expect(options.idOnly).toBe(true);
    const { subscriptionId } = await registerDemoDevices(options);
    const mine = bridge.store!.subscriptions;
    expect((await mine.listSubscriptionInstallations(subscriptionId)).map((i) => i.platform).sort()).toEqual(["apns", "browser", "fcmv1", "wns"]);

    const curl = command("curl -i");
    const url = curl.find((t) => t.startsWith("http"))!;
    expect(url).toBe(`${bridge.url}/beta/me/notifications`);
    const headers = Object.fromEntries(curl.flatMap((t, i) => (curl[i - 1] === "-H" ? [t.split(": ")] : [])).map(([k, v]) => [k, v.replace("$UNS_ID", subscriptionId)]));
    const sent = await fetch(url, { method: "POST", headers, body: curl[curl.indexOf("-d") + 1] });
    expect(sent.status).toBe(201);
    await until("the four demo devices received it", async () => {
      const r = (await (await fetch(`${bridge.emulatorUrl}/_emulator/deliveries?userId=${subscriptionId}`)).json()) as { deliveries: unknown[] };
      return r.deliveries.length >= 4 ? true : undefined;
    });
  });

  it("points at this emulator's page", () => {
    expect(text).toContain(`${bridge.emulatorUrl}/_emulator/`);
  });
});
