import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAppleInstallation, createAppleNotification } from "@azure/notification-hubs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEmulator } from "../../src/emulator/emulator.js";
import { APNS_TOKEN, sdkClient, startTestEmulator, TestClock } from "./nh-fixtures.js";

describe("state file", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "nh-emulator-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps installations, deliveries and pending schedules across a restart", async () => {
    const stateFile = join(dir, "state.json");
    const clock = new TestClock();
    const first = await startTestEmulator({ stateFile, now: clock.now });
    const client = sdkClient(first, "hub-state");
    await client.createOrUpdateInstallation(createAppleInstallation({ installationId: "ios", pushChannel: APNS_TOKEN, tags: ["t"] }));
    const sent = await client.sendBroadcastNotification(createAppleNotification({ body: { aps: { alert: "x" } } }));
    const scheduled = await client.scheduleBroadcastNotification(new Date(clock.current.getTime() + 60_000), createAppleNotification({ body: { aps: { alert: "y" } } }));
    await first.close();
    expect(JSON.parse(readFileSync(stateFile, "utf8"))).toMatchObject({ version: 1, hubs: ["hub-state"] });

    const second = await startTestEmulator({ stateFile, now: clock.now });
    try {
      const again = sdkClient(second, "hub-state");
      expect((await again.getInstallation("ios")).tags).toEqual(["t"]);
      expect(second.emulator.view.listDeliveries({ notificationId: sent.notificationId })).toHaveLength(1);
      expect((await again.getNotificationOutcomeDetails(sent.notificationId!)).state).toBe("Completed");
      clock.advance(60_000);
      expect(second.emulator.runDue()).toBe(1);
      expect(second.emulator.view.listDeliveries({ notificationId: scheduled.notificationId })).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it("refuses to start from a corrupt state file with a message saying what to do", () => {
    const stateFile = join(dir, "broken.json");
    writeFileSync(stateFile, "{not json");
    expect(() => createEmulator({ stateFile })).toThrow(/not valid JSON.*fix or delete it/);
  });
});
