import type { Browser, Page } from "playwright-core";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HUB, hubsApp, startHubsFixture, type HubsFixture } from "../support/hubs-fixture.js";
import { launchChromium, shouldRunBrowserTests } from "./ui-chromium.js";

/**
 * The emulator page shows what the bridge sent as the bridge's caller knows it: the app
 * (targetHostName) and the bridge's notification id on each card, notifications a later one
 * replaced on the device, and what to do when a hub has no devices. Real parts: the hubs strategy
 * sends through the NH SDK to the emulator; the page runs in Debian's Chromium.
 */
describe.runIf(shouldRunBrowserTests(process.env))("emulator page: cards of bridge notifications", () => {
  let f: HubsFixture;
  let browser: Browser;
  let page: Page;
  const sent: string[] = [];

  beforeAll(async () => {
    f = await startHubsFixture();
    await f.register("dana");
    const { app } = hubsApp(f, { mode: "direct" });
    for (const title of ["Order 7 packed", "Order 7 shipped"]) {
      const res = await request(app).post("/beta/me/notifications").set("X-UNS-ID", "dana").send({
        targetHostName: "shop.contoso.com", appNotificationId: "order-7", payload: { visualContent: { title } }, priority: "High",
      });
      expect(res.status).toBe(201);
      sent.push(res.body.id as string);
    }
    browser = await launchChromium();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await f?.close();
  });

  const cardsOf = async (platform: string) => {
    const ids = f.emulator.emulator.view.listDeliveries({ hub: HUB, userId: "dana" }).filter((d) => d.platform === platform).map((d) => d.id);
    return ids.map((id) => page.getByTestId(`delivery-${id}`));
  };

  it("names the app and the bridge's notification id on every card, and marks the replaced one", async () => {
    await page.goto(`${f.emulator.url}/_emulator/`);
    await page.getByTestId("device-dana-iphone").waitFor();
    for (const platform of ["apns", "fcmv1", "wns", "browser"]) {
      const [first, second] = await cardsOf(platform);
      expect(await first.locator('[data-role="bridge-app"]').textContent(), platform).toBe("app shop.contoso.com");
      expect(await first.locator('[data-role="bridge-id"]').textContent(), platform).toBe(`notification ${sent[0]}`);
      expect(await second.locator('[data-role="bridge-id"]').textContent(), platform).toBe(`notification ${sent[1]}`);
      expect(await first.locator('[data-role="replaced"]').count(), platform).toBe(1);
      expect(await second.locator('[data-role="replaced"]').count(), platform).toBe(0);
    }
  });

  it("says what to do when there are no devices", async () => {
    const empty = await startHubsFixture();
    try {
      await page.goto(`${empty.emulator.url}/_emulator/`);
      const help = page.getByTestId("no-devices");
      await help.waitFor();
      expect(await help.textContent()).toMatch(/No devices are registered.*register-demo-devices.*--bridge.*\/bridge\/me\/installations.*Notification Hubs SDK.*send a legacy notification/);
    } finally {
      await empty.close();
    }
  });
});
