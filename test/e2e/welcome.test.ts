import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseDemoArgs, registerDemoDevices } from "../../src/demo/register-demo-devices.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server.js";
import { printWelcome } from "../../src/welcome.js";

/**
 * The `npm start` console's commands work as printed whatever EMULATOR_PORT and
 * NOTIFICATION_HUB_NAME were: the register command, read the way its CLI reads it in a shell
 * without those variables, registers the demo devices in this emulator's hub.
 */
describe("the npm start console", () => {
  let emulator: RunningEmulator;
  let text = "";
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 }); // never the default 10110
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    printWelcome({ bridgeUrl: "http://127.0.0.1:18080", emulatorUrl: emulator.url, hub: "orders-hub", connectionString: emulator.connectionString() });
    text = log.mock.calls.map((c) => c.join(" ")).join("\n");
    log.mockRestore();
  });
  afterAll(() => emulator.close());

  /** The printed command that contains `marker`, with its `\` continuation lines, split as a shell would. */
  function command(marker: string): string[] {
    const lines = text.split("\n");
    const start = lines.findIndex((l) => l.includes(marker));
    let joined = "";
    for (let i = start; i < lines.length; i++) {
      joined += lines[i].replace(/\\$/, "");
      if (!lines[i].endsWith("\\")) break;
    }
    return [...joined.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);
  }

  it("registers the demo devices in the emulator and hub it names, from a shell without EMULATOR_PORT or NOTIFICATION_HUB_NAME", async () => {
    const [node, script, ...args] = command("register-demo-devices");
    expect(node).toBe("node"); // compiled by npm start's build: no tsx at run time
    expect(existsSync(script.replace(/^dist\//, "").replace(/\.js$/, ".ts"))).toBe(true);
    await registerDemoDevices(parseDemoArgs(args, {}));
    const mine = emulator.emulator.view.listInstallations("orders-hub");
    expect(mine.map((i) => i.platform).sort()).toEqual(["apns", "browser", "fcmv1", "wns"]);
  });

  it("sends the first notification to the bridge it names, and points at this emulator's page", () => {
    expect(command("curl -i")).toContain("http://127.0.0.1:18080/beta/me/notifications");
    expect(text).toContain(`${emulator.url}/_emulator/`);
  });
});
