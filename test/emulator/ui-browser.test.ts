import express from "express";
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmulatorUiRouter } from "../../src/emulator/ui/router.js";
import { HOSTILE_TITLE, createShowcaseView } from "./ui-browser-fixtures.js";
import { launchChromium, shouldRunBrowserTests } from "./ui-chromium.js";
import { aDelivery, type FakeEmulatorView } from "./ui-fixtures.js";

describe.runIf(shouldRunBrowserTests(process.env))("emulator viewer page in headless Chromium", () => {
  let view: FakeEmulatorView;
  let server: Server;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  const card = (id: string) => page.getByTestId(`delivery-${id}`);
  const role = (id: string, name: string) => card(id).locator(`[data-role="${name}"]`);

  beforeAll(async () => {
    view = createShowcaseView();
    const app = express();
    app.use("/_emulator", createEmulatorUiRouter(view));
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") pageErrors.push(message.text());
    });
    await page.clock.install();
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/_emulator`);
    await page.getByTestId("delivery-web-data").waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  it("shows one card per installed device, grouped by user, with its tags", async () => {
    for (const id of ["ios-1", "android-1", "win-1", "web-1"]) await expect(page.getByTestId(`device-${id}`).count()).resolves.toBe(1);
    expect(await page.getByTestId("user-alice").getByTestId("device-ios-1").count()).toBe(1);
    expect(await page.getByTestId("user-bob").getByTestId("device-web-1").count()).toBe(1);
    expect(await page.getByTestId("device-ios-1").locator('[data-role="tags"] li').allTextContents()).toEqual(["$UserId:alice", "beta"]);
  });

  it("shows the user, client app and host of an installation the bridge registered", async () => {
    const meta = await page.getByTestId("device-web-1").locator('[data-role="device-meta"]').textContent();
    expect(meta).toBe("Web · browser · user bob · app client-app-1 · for notify.contoso.com");
    expect(await page.getByTestId("device-ios-1").locator('[data-role="device-meta"]').textContent()).not.toMatch(/ app /);
  });

  it("renders the iOS banner from aps.alert", async () => {
    expect(await card("ios-alert").getAttribute("data-kind")).toBe("ios-banner");
    expect(await role("ios-alert", "title").textContent()).toBe("Meeting moved");
    expect(await role("ios-alert", "body").textContent()).toBe("Standup is now at 10:30");
    expect(await role("ios-alert", "app-name").textContent()).toBe("com.contoso.app");
    expect(await role("ios-alert", "received").getAttribute("datetime")).toBe("2025-01-01T10:01:00.000Z");
  });

  it("renders the Android notification with its android fields", async () => {
    expect(await card("android-notification").getAttribute("data-kind")).toBe("android-notification");
    expect(await role("android-notification", "title").textContent()).toBe("Order shipped");
    expect(await role("android-notification", "body").textContent()).toBe("Arrives Friday");
    expect(await role("android-notification", "headers").textContent()).toContain("android.priorityHIGH");
  });

  it("renders the Windows toast from the ToastGeneric XML", async () => {
    expect(await card("win-toast").getAttribute("data-kind")).toBe("windows-toast");
    expect(await role("win-toast", "title").textContent()).toBe("Build & deploy");
    expect(await role("win-toast", "body").textContent()).toBe("Pipeline #42 finished");
  });

  it("renders the browser notification", async () => {
    expect(await card("web-notification").getAttribute("data-kind")).toBe("browser-notification");
    expect(await role("web-notification", "title").textContent()).toBe("New comment");
    expect(await role("web-notification", "body").textContent()).toBe("Dana replied to your post");
  });

  it("shows background, data-only and raw pushes as data cards with headers and body", async () => {
    const expectations: [string, string, string][] = [
      ["ios-background", "apns-push-typebackground", "sync-now"],
      ["android-data", "Content-Typeapplication/json;charset=utf-8", "refresh-cart"],
      ["win-raw", "X-WNS-Typewns/raw", "raw-payload-bytes"],
      ["web-data", "TTL60", "badgeCount"],
    ];
    for (const [id, header, body] of expectations) {
      expect(await card(id).getAttribute("data-kind")).toBe("data");
      expect(await role(id, "headers").textContent()).toContain(header);
      expect(await role(id, "data").textContent()).toContain(body);
    }
  });

  it("shows hostile payload text as text and runs none of it", async () => {
    expect(await role("ios-hostile", "title").textContent()).toBe(HOSTILE_TITLE);
    expect(await role("ios-hostile", "body").textContent()).toBe("<b>not bold</b>");
    expect(await card("ios-hostile").locator("script, img, b").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it("lists a device's notifications newest first", async () => {
    const ids = await page.getByTestId("device-ios-1").locator("[data-kind]").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-testid")));
    expect(ids).toEqual(["delivery-ios-hostile", "delivery-ios-background", "delivery-ios-alert"]);
  });

  it("shows a delivery recorded after load when Refresh is pressed", async () => {
    view.deliveries.push(aDelivery({ id: "late-click", hub: "contoso", installationId: "win-1", userId: "bob", platform: "wns",
      headers: { "X-WNS-Type": "wns/toast" }, body: "<toast><visual><binding template=\"ToastGeneric\"><text>Late</text></binding></visual></toast>",
      receivedAt: "2025-01-01T11:00:00.000Z" }));
    await page.getByTestId("refresh").click();
    await card("late-click").waitFor();
    expect(await role("late-click", "title").textContent()).toBe("Late");
  });

  it("says when older deliveries are no longer kept", async () => {
    expect(await page.getByTestId("status").textContent()).not.toMatch(/no longer kept/);
    view.dropped = 12;
    try {
      await page.getByTestId("refresh").click();
      await expect.poll(() => page.getByTestId("status").textContent()).toMatch(/ · 12 older ones no longer kept \(the emulator keeps the latest\)$/);
    } finally {
      view.dropped = 0;
    }
  });

  it("picks up new deliveries by itself every 2 seconds", async () => {
    view.deliveries.push(aDelivery({ id: "late-poll", hub: "contoso", installationId: "android-1", platform: "fcmv1",
      headers: { "Content-Type": "application/json;charset=utf-8" },
      body: JSON.stringify({ message: { notification: { title: "Polled" } } }), receivedAt: "2025-01-01T11:01:00.000Z" }));
    await page.clock.runFor(2_100);
    await card("late-poll").waitFor();
    expect(await card("late-poll").getAttribute("class")).toContain("fresh");
  });

  it("loads with no console or CSP errors, and looks right", async () => {
    mkdirSync(".tmp", { recursive: true });
    await page.screenshot({ path: ".tmp/emulator-page.png", fullPage: true });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: ".tmp/emulator-page-dark.png", fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
