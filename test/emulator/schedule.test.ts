import { createAppleInstallation, createAppleNotification, type NotificationHubsClient } from "@azure/notification-hubs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/server.js";
import { APNS_TOKEN, errorOf, sdkClient, startTestEmulator, TestClock } from "./nh-fixtures.js";

const alert = createAppleNotification({ body: { aps: { alert: "later" } }, headers: { "apns-push-type": "alert" } });

describe("scheduled sends through the real SDK (injected clock)", () => {
  const clock = new TestClock();
  let running: RunningEmulator;
  let client: NotificationHubsClient;
  const hub = "hub-schedule";
  const deliveriesOf = (notificationId?: string) => running.emulator.view.listDeliveries({ hub, notificationId });

  beforeAll(async () => {
    running = await startTestEmulator({ now: clock.now });
    client = sdkClient(running, hub);
    await client.createOrUpdateInstallation(createAppleInstallation({ installationId: "ios", pushChannel: APNS_TOKEN, tags: ["t"] }));
  });
  afterAll(() => running.close());

  it("holds a scheduled send until its time, then delivers it", async () => {
    const response = await client.scheduleNotification(new Date(clock.current.getTime() + 60_000), alert, { tagExpression: "t" });
    const id = response.notificationId!;
    expect(id).toBeTruthy();
    expect((await client.getNotificationOutcomeDetails(id)).state).toBe("Scheduled");

    clock.advance(59_000);
    expect(running.emulator.runDue()).toBe(0);
    expect(deliveriesOf(id)).toEqual([]);

    clock.advance(1_000);
    expect(running.emulator.runDue()).toBe(1);
    expect(deliveriesOf(id)).toMatchObject([{ installationId: "ios", notificationId: id }]);
    const details = await client.getNotificationOutcomeDetails(id);
    expect(details).toMatchObject({ state: "Completed", apnsOutcomeCounts: [{ state: "Success", count: 1 }] });
  });

  it("schedules a broadcast", async () => {
    const response = await client.scheduleBroadcastNotification(new Date(clock.current.getTime() + 1_000), alert);
    clock.advance(1_000);
    expect(running.emulator.runDue()).toBe(1);
    expect(deliveriesOf(response.notificationId)).toHaveLength(1);
  });

  it("cancels a scheduled send so it never fires", async () => {
    const response = await client.scheduleNotification(new Date(clock.current.getTime() + 5_000), alert, { tagExpression: "t" });
    await client.cancelScheduledNotification(response.notificationId!);
    clock.advance(10_000);
    expect(running.emulator.runDue()).toBe(0);
    expect(deliveriesOf(response.notificationId)).toEqual([]);
    expect((await client.getNotificationOutcomeDetails(response.notificationId!)).state).toBe("Canceled");
    expect((await errorOf(client.cancelScheduledNotification(response.notificationId!))).statusCode).toBe(404);
  });

  it("refuses a schedule more than 7 days ahead and an invalid payload", async () => {
    const far = new Date(clock.current.getTime() + 8 * 24 * 3600_000);
    expect((await errorOf(client.scheduleNotification(far, alert, { tagExpression: "t" }))).statusCode).toBe(400);
    const bad = createAppleNotification({ body: { nope: 1 } });
    expect((await errorOf(client.scheduleNotification(new Date(clock.current.getTime() + 1000), bad, { tagExpression: "t" }))).statusCode).toBe(400);
  });
});

describe("scheduled sends with the real clock", () => {
  it("fire on their own timer", async () => {
    const running = await startTestEmulator();
    try {
      const client = sdkClient(running, "hub-timer");
      await client.createOrUpdateInstallation(createAppleInstallation({ installationId: "ios", pushChannel: APNS_TOKEN }));
      const response = await client.scheduleBroadcastNotification(new Date(Date.now() + 300), alert);
      const view = running.emulator.view;
      expect(view.listDeliveries({ notificationId: response.notificationId })).toEqual([]);
      await expect.poll(() => view.listDeliveries({ notificationId: response.notificationId }).length, { timeout: 5_000 }).toBe(1);
    } finally {
      await running.close();
    }
  });
});
