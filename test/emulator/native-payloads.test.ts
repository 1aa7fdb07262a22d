import {
  createAppleInstallation, createAppleNotification, createBrowserNotification, createFcmV1Installation,
  createFcmV1Notification, createWindowsInstallation, createWindowsRawNotification, createWindowsToastNotification,
  type Notification, type NotificationHubsClient,
} from "@azure/notification-hubs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/server.js";
import { APNS_TOKEN, errorOf, FCM_TOKEN, sdkClient, startTestEmulator, TOAST_XML, WNS_CHANNEL } from "./nh-fixtures.js";

const invalid: [string, Notification, RegExp][] = [
  ["APNs without aps", createAppleNotification({ body: { alert: "x" } }), /'aps'/],
  ["APNs over 4096 bytes", createAppleNotification({ body: { aps: { alert: "x".repeat(4100) } } }), /4096/],
  [
    "APNs background at priority 10",
    createAppleNotification({ body: { aps: { "content-available": 1 } }, headers: { "apns-push-type": "background", "apns-priority": "10" } }),
    /priority 5/,
  ],
  [
    "APNs background with an alert",
    createAppleNotification({ body: { aps: { "content-available": 1, alert: "x" } }, headers: { "apns-push-type": "background", "apns-priority": "5" } }),
    /aps.alert/,
  ],
  ["APNs alert push without alert", createAppleNotification({ body: { aps: { badge: 1 } }, headers: { "apns-push-type": "alert" } }), /aps.alert/],
  ["APNs collapse id over 64 bytes", createAppleNotification({ body: { aps: { alert: "x" } }, headers: { "apns-collapse-id": "c".repeat(65) } }), /64 bytes/],
  ["FCM without the message envelope", createFcmV1Notification({ body: { notification: { title: "x" } } as never }), /"message"/],
  ["FCM with a token", createFcmV1Notification({ body: { message: { token: "t", notification: { title: "x" } } } as never }), /message.token/],
  ["FCM with non-string data", createFcmV1Notification({ body: { message: { data: { n: 1 } } } as never }), /must be a string/],
  ["FCM over 4096 bytes", createFcmV1Notification({ body: JSON.stringify({ message: { data: { a: "x".repeat(4100) } } }) }), /4096/],
  ["WNS toast that is not XML", createWindowsToastNotification({ body: "<toast><visual>" }), /well-formed/],
  ["WNS toast with the wrong root", createWindowsToastNotification({ body: "<tile/>" }), /<toast>/],
  ["WNS raw as XML", createWindowsToastNotification({ body: "raw", headers: { "X-WNS-Type": "wns/raw" } }), /octet-stream/],
  ["WNS over 5000 bytes", createWindowsRawNotification({ body: "x".repeat(5001) }), /5000/],
  ["WNS tag over 16 characters", createWindowsToastNotification({ body: TOAST_XML, headers: { "X-WNS-Tag": "t".repeat(17) } }), /x-wns-tag/],
  ["WNS without X-WNS-Type", { platform: "windows", contentType: "application/xml", body: TOAST_XML } as Notification, /X-WNS-Type is required/],
  ["browser body that is not JSON", createBrowserNotification({ body: "{not json" }), /JSON object/],
  ["APNs headers on an FCM send", createFcmV1Notification({ body: JSON.stringify({ message: {} }), headers: { "apns-priority": "10" } }), /does not apply/],
];

describe("native payload validation through the real SDK", () => {
  let running: RunningEmulator;
  let client: NotificationHubsClient;
  const hub = "hub-payloads";

  beforeAll(async () => {
    running = await startTestEmulator();
    client = sdkClient(running, hub);
    await client.createOrUpdateInstallation(createAppleInstallation({ installationId: "ios", pushChannel: APNS_TOKEN, tags: ["all"] }));
    await client.createOrUpdateInstallation(createFcmV1Installation({ installationId: "android", pushChannel: FCM_TOKEN, tags: ["all"] }));
    await client.createOrUpdateInstallation(createWindowsInstallation({ installationId: "win", pushChannel: WNS_CHANNEL, tags: ["all"] }));
  });
  afterAll(() => running.close());

  it.each(invalid)("refuses %s with 400 and delivers nothing", async (_name, notification, detail) => {
    const before = running.emulator.view.listDeliveries({ hub }).length;
    const error = await errorOf(client.sendNotification(notification, { tagExpression: "all" }));
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(detail);
    expect(running.emulator.view.listDeliveries({ hub })).toHaveLength(before);
  });

  it("counts a refused payload as a failure in the outcome details named by the error's Location", async () => {
    const error = await errorOf(client.sendNotification(createAppleNotification({ body: { alert: "x" } }), { tagExpression: "all" }));
    const location = error.response?.headers.get("location");
    expect(location).toBeTruthy();
    const id = new URL(location!).pathname.split("/")[3];
    const details = await client.getNotificationOutcomeDetails(id);
    expect(details.apnsOutcomeCounts).toEqual([{ state: "InvalidNotificationFormat", count: 1 }]);
    const size = await errorOf(client.sendNotification(createAppleNotification({ body: { aps: { alert: "x".repeat(5000) } } }), { tagExpression: "all" }));
    const sizeId = new URL(size.response!.headers.get("location")!).pathname.split("/")[3];
    expect((await client.getNotificationOutcomeDetails(sizeId)).apnsOutcomeCounts).toEqual([{ state: "InvalidNotificationSize", count: 1 }]);
  });

  it("lists refused sends with their reason in the control API", async () => {
    const response = await fetch(`${running.url}/_emulator/api/hubs/${hub}/notifications`);
    const { notifications } = (await response.json()) as { notifications: { rejection?: string }[] };
    expect(notifications.filter((n) => n.rejection).length).toBeGreaterThanOrEqual(invalid.length);
  });

  it("accepts a well-formed WNS raw notification", async () => {
    await client.sendNotification(createWindowsRawNotification({ body: "raw-bytes" }), { tagExpression: "all" });
  });
});
