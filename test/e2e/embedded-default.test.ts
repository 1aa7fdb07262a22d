import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../support/until.js";
import { startBridge, type RunningBridge } from "../../src/bridge.js";
import { loadConfig } from "../../src/config.js";
import { createHubClient } from "../../src/delivery/hubs/hub-client.js";
import type { RecordedDelivery } from "../../src/emulator/model.js";
import { createLogger } from "../../src/observability/logger.js";
import { launchChromium, shouldRunBrowserTests } from "../emulator/ui-chromium.js";
import { devicesFor } from "../support/hubs-fixture.js";

/**
 * Issue 3 acceptance on the embedded default: no connection string, so the bridge runs its own
 * emulator; a legacy notification for a user with four devices appears on the emulator page,
 * rendered per platform, in a real headless Chromium, and a non-matching device gets nothing.
 */
describe.runIf(shouldRunBrowserTests(process.env))("embedded default: legacy notification to the emulator page", () => {
  let bridge: RunningBridge;
  let browser: Browser;

  beforeAll(async () => {
    const config = loadConfig({
      PORT: "0", EMULATOR_PORT: "0", OUTBOX_POLL_INTERVAL_MS: "10",
      DATABASE_URL: `sqlite:${join(mkdtempSync(join(tmpdir(), "gnb-embedded-")), "b.db")}`,
    });
    expect(config.embeddedEmulator).toBe(true);
    bridge = await startBridge(config, { logger: createLogger({ level: "silent", destination: new Writable({ write: (_c, _e, cb) => cb() }) }) });
    const admin = createHubClient({ connectionString: bridge.connectionString!, hubName: config.NOTIFICATION_HUB_NAME, allowInsecureHttp: true });
    for (const d of [...devicesFor("erin"), ...devicesFor("frank")]) await admin.createOrUpdateInstallation(d);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await bridge?.shutdown();
  });

  it("shows the notification on each of the user's four devices, rendered per platform", async () => {
    const res = await fetch(`${bridge.url}/beta/me/notifications`, {
      method: "POST", headers: { "Content-Type": "application/json", "X-UNS-ID": "erin" },
      body: JSON.stringify({ targetHostName: "notify.contoso.com", appNotificationId: "welcome", payload: { visualContent: { title: "Parcel delivered", body: "It is at your door" } } }),
    });
    expect(res.status).toBe(201);

    const deliveries = await until("four deliveries", async () => {
      const r = (await (await fetch(`${bridge.emulatorUrl}/_emulator/deliveries?userId=erin`)).json()) as { deliveries: RecordedDelivery[] };
      return r.deliveries.length >= 4 ? r.deliveries : undefined;
    });
    expect(deliveries.map((d) => d.platform).sort()).toEqual(["apns", "browser", "fcmv1", "wns"]);
    const frank = (await (await fetch(`${bridge.emulatorUrl}/_emulator/deliveries?userId=frank`)).json()) as { deliveries: RecordedDelivery[] };
    expect(frank.deliveries).toHaveLength(0);

    const page = await browser.newPage();
    await page.goto(`${bridge.emulatorUrl}/_emulator/`);
    const expectations: Array<[string, string]> = [
      ["erin-iphone", "ios-banner"],
      ["erin-pixel", "android-notification"],
      ["erin-surface", "windows-toast"],
      ["erin-edge", "browser-notification"],
    ];
    for (const [device, kind] of expectations) {
      const card = page.locator(`[data-testid="device-${device}"] [data-kind="${kind}"]`);
      await card.first().waitFor({ timeout: 10_000 });
      expect(await card.first().locator('[data-role="title"]').textContent()).toBe("Parcel delivered");
      expect(await card.first().locator('[data-role="body"]').textContent()).toBe("It is at your door");
    }
    for (const device of ["frank-iphone", "frank-pixel", "frank-surface", "frank-edge"])
      expect(await page.locator(`[data-testid="device-${device}"] [data-testid^="delivery-"]`).count()).toBe(0);
    await page.screenshot({ path: ".tmp/embedded-default.png", fullPage: true }); // for a human look; .tmp is ignored
    await page.close();
  });
});
