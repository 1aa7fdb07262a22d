import {
  createAppleInstallation, createAppleNotification, createBrowserInstallation, createBrowserNotification,
  createFcmV1Installation, createFcmV1Notification, createWindowsInstallation, createWindowsToastNotification,
  type NotificationHubsClient,
} from "@azure/notification-hubs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/server.js";
import { APNS_TOKEN, BROWSER_CHANNEL, FCM_TOKEN, sdkClient, startTestEmulator, TOAST_XML, WNS_CHANNEL } from "./nh-fixtures.js";

const alert = () =>
  createAppleNotification({
    body: { aps: { alert: { title: "Hi", body: "There" } } },
    headers: { "apns-push-type": "alert", "apns-priority": "10" },
  });

describe("sends through the real SDK", () => {
  let running: RunningEmulator;
  let client: NotificationHubsClient;
  const hub = "hub-send";
  const deliveriesOf = (notificationId?: string) => running.emulator.view.listDeliveries({ hub, notificationId });

  beforeAll(async () => {
    running = await startTestEmulator();
    client = sdkClient(running, hub);
    await client.createOrUpdateInstallation(createAppleInstallation({ installationId: "ios-alice", pushChannel: APNS_TOKEN, userId: "alice", tags: ["news", "vip"] }));
    await client.createOrUpdateInstallation(createAppleInstallation({ installationId: "ios-bob", pushChannel: "b".repeat(64), userId: "bob", tags: ["news"] }));
    await client.createOrUpdateInstallation(createFcmV1Installation({ installationId: "android-alice", pushChannel: FCM_TOKEN, userId: "alice", tags: ["news"] }));
    await client.createOrUpdateInstallation(createWindowsInstallation({ installationId: "win-alice", pushChannel: WNS_CHANNEL, userId: "alice" }));
    await client.createOrUpdateInstallation(createBrowserInstallation({ installationId: "web-alice", pushChannel: BROWSER_CHANNEL, userId: "alice" }));
  });
  afterAll(() => running.close());

  it("delivers a tag-expression send to matching devices of the format's platform only", async () => {
    const response = await client.sendNotification(alert(), { tagExpression: "news && !vip" });
    expect(response.notificationId).toBeTruthy();
    expect(response.trackingId).toBeTruthy();
    expect(response.correlationId).toBeTruthy();
    expect(response.location).toBe(`${running.url}/${hub}/messages/${response.notificationId}?api-version=2020-06`);
    const deliveries = deliveriesOf(response.notificationId);
    expect(deliveries.map((d) => d.installationId)).toEqual(["ios-bob"]);
    expect(deliveries[0]).toMatchObject({
      platform: "apns",
      format: "apple",
      deviceHandle: "b".repeat(64),
      userId: "bob",
      headers: { "apns-push-type": "alert", "apns-priority": "10", "content-type": "application/json" },
      body: JSON.stringify({ aps: { alert: { title: "Hi", body: "There" } } }),
    });
  });

  it("targets built-in $UserId and $InstallationId tags", async () => {
    const byUser = await client.sendNotification(alert(), { tagExpression: "$UserId:{alice}" });
    expect(deliveriesOf(byUser.notificationId).map((d) => d.installationId)).toEqual(["ios-alice"]);
    const byInstallation = await client.sendNotification(alert(), { tagExpression: "$UserId:{alice} || $InstallationId:{ios-bob}" });
    expect(deliveriesOf(byInstallation.notificationId).map((d) => d.installationId).sort()).toEqual(["ios-alice", "ios-bob"]);
  });

  it("delivers nothing to a non-matching device", async () => {
    const response = await client.sendNotification(alert(), { tagExpression: "nobody-has-this" });
    expect(deliveriesOf(response.notificationId)).toEqual([]);
    const details = await client.getNotificationOutcomeDetails(response.notificationId!);
    expect(details.state).toBe("NoTargetFound");
  });

  it("broadcasts to every installation of the platform", async () => {
    const response = await client.sendBroadcastNotification(
      // The SDK types the body as the inner message; NH wants the {message} envelope, so send it as text.
      createFcmV1Notification({ body: JSON.stringify({ message: { notification: { title: "All" }, data: { k: "v" } } }) }),
    );
    expect(deliveriesOf(response.notificationId).map((d) => d.installationId)).toEqual(["android-alice"]);
    expect(deliveriesOf(response.notificationId)[0].headers).toEqual({ "Content-Type": "application/json; charset=UTF-8" });
  });

  it("passes X-WNS headers through to the WNS delivery", async () => {
    const response = await client.sendNotification(
      createWindowsToastNotification({ body: TOAST_XML, headers: { "X-WNS-Tag": "t1", "X-WNS-TTL": "60" } }),
      { tagExpression: "$UserId:{alice}" },
    );
    const [delivery] = deliveriesOf(response.notificationId);
    expect(delivery).toMatchObject({ installationId: "win-alice", platform: "wns", format: "windows", body: TOAST_XML });
    expect(delivery.headers).toEqual({ "Content-Type": "text/xml", "X-WNS-Type": "wns/toast", "X-WNS-Tag": "t1", "X-WNS-TTL": "60" });
  });

  it("passes TTL, Urgency and Topic through to a browser delivery", async () => {
    const response = await client.sendNotification(
      createBrowserNotification({ body: { title: "Web" }, headers: { TTL: "120", Urgency: "high", Topic: "t1" } }),
      { tagExpression: "$UserId:{alice}" },
    );
    const [delivery] = deliveriesOf(response.notificationId);
    expect(delivery).toMatchObject({ installationId: "web-alice", platform: "browser", deviceHandle: BROWSER_CHANNEL.endpoint });
    expect(delivery.headers).toEqual({ "Content-Type": "application/json", TTL: "120", Urgency: "high", Topic: "t1" });
  });

  it("sends directly to an APNs handle, known installation or not", async () => {
    const known = await client.sendNotification(alert(), { deviceHandle: APNS_TOKEN });
    expect(deliveriesOf(known.notificationId)).toMatchObject([{ deviceHandle: APNS_TOKEN, installationId: "ios-alice" }]);
    const unknown = await client.sendNotification(alert(), { deviceHandle: "c".repeat(64) });
    const [delivery] = deliveriesOf(unknown.notificationId);
    expect(delivery.deviceHandle).toBe("c".repeat(64));
    expect(delivery.installationId).toBeUndefined();
  });

  it("sends directly to a browser subscription", async () => {
    const response = await client.sendNotification(createBrowserNotification({ body: { title: "Direct" } }), { deviceHandle: BROWSER_CHANNEL });
    expect(deliveriesOf(response.notificationId)).toMatchObject([{ deviceHandle: BROWSER_CHANNEL.endpoint, installationId: "web-alice", platform: "browser" }]);
  });

  it("sends a batch directly to many handles", async () => {
    const handles = [APNS_TOKEN, "d".repeat(64), "e".repeat(64)];
    const response = await client.sendNotification(alert(), { deviceHandle: handles });
    expect(deliveriesOf(response.notificationId).map((d) => d.deviceHandle)).toEqual(handles);
    const details = await client.getNotificationOutcomeDetails(response.notificationId!);
    expect(details.apnsOutcomeCounts).toEqual([{ state: "Success", count: 3 }]);
  });

  it("refuses a batch of more than 1000 handles", async () => {
    const handles = Array.from({ length: 1001 }, (_, i) => i.toString(16).padStart(64, "0"));
    await expect(client.sendNotification(alert(), { deviceHandle: handles })).rejects.toMatchObject({ statusCode: 400 });
  });

  it("answers a test send with the NotificationOutcome the SDK parses", async () => {
    const response = await client.sendNotification(alert(), { tagExpression: "news", enableTestSend: true });
    expect(response.state).toBe("DetailedStateAvailable");
    expect(response.successCount).toBe(2);
    expect(response.failureCount).toBe(0);
    expect(response.results.map((r) => r.registrationId).sort()).toEqual(["ios-alice", "ios-bob"]);
    expect(response.results[0]).toMatchObject({ applicationPlatform: "apple", outcome: expect.stringMatching(/successfully sent/) });
    expect(deliveriesOf(response.notificationId)).toHaveLength(2);
  });

  it("reports per-platform outcome details", async () => {
    const response = await client.sendNotification(alert(), { tagExpression: "news" });
    const details = await client.getNotificationOutcomeDetails(response.notificationId!);
    expect(details).toMatchObject({
      notificationId: response.notificationId,
      state: "Completed",
      targetPlatforms: "apple",
      apnsOutcomeCounts: [{ state: "Success", count: 2 }],
    });
    expect(details.enqueueTime).toBeInstanceOf(Date);
    expect(details.notificationBody).toBe(JSON.stringify({ aps: { alert: { title: "Hi", body: "There" } } }));
  });

  it("shows what devices received in the viewer's JSON listing", async () => {
    const response = await client.sendNotification(alert(), { tagExpression: "$InstallationId:{ios-alice}" });
    const listing = await fetch(`${running.url}/_emulator/deliveries?notificationId=${response.notificationId}`);
    const { deliveries } = (await listing.json()) as { deliveries: { installationId: string }[] };
    expect(deliveries.map((d) => d.installationId)).toEqual(["ios-alice"]);
  });

  it("answers 404 for an unknown notification id", async () => {
    await expect(client.getNotificationOutcomeDetails("no-such-id")).rejects.toMatchObject({ statusCode: 404 });
  });

  it("answers 400 for an invalid tag expression and for too many tags", async () => {
    await expect(client.sendNotification(alert(), { tagExpression: "a & b" })).rejects.toMatchObject({ statusCode: 400 });
    const tooMany = Array.from({ length: 7 }, (_, i) => `t${i}`).join(" && ");
    await expect(client.sendNotification(alert(), { tagExpression: tooMany })).rejects.toMatchObject({ statusCode: 400 });
  });
});
