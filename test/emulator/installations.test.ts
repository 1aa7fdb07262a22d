import { createAppleInstallation, createBrowserInstallation, createFcmV1Installation } from "@azure/notification-hubs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../../src/emulator/server.js";
import { APNS_TOKEN, BROWSER_CHANNEL, errorOf, FCM_TOKEN, sdkClient, startTestEmulator, statusOf } from "./nh-fixtures.js";

describe("installations through the real SDK", () => {
  let running: RunningEmulator;
  beforeAll(async () => {
    running = await startTestEmulator();
  });
  afterAll(() => running.close());

  it("creates, reads, patches and deletes an installation", async () => {
    const client = sdkClient(running, "hub-crud");
    const response = await client.createOrUpdateInstallation(
      createAppleInstallation({ installationId: "ios-1", pushChannel: APNS_TOKEN, tags: ["news"], userId: "alice" }),
    );
    expect(response.trackingId).toBeTruthy();
    expect(response.correlationId).toBeTruthy();

    const read = await client.getInstallation("ios-1");
    expect(read).toMatchObject({ installationId: "ios-1", platform: "apns", pushChannel: APNS_TOKEN, tags: ["news"], userId: "alice" });
    expect(read.lastUpdate).toBeTruthy();

    await client.updateInstallation("ios-1", [
      { op: "add", path: "/tags", value: "sports" },
      { op: "remove", path: "/tags/news" },
      { op: "replace", path: "/userId", value: "bob" },
    ]);
    expect(await client.getInstallation("ios-1")).toMatchObject({ tags: ["sports"], userId: "bob" });

    await client.deleteInstallation("ios-1");
    expect(await statusOf(client.getInstallation("ios-1"))).toBe(404);
    await client.deleteInstallation("ios-1");
  });

  it("overwrites an installation on a second PUT", async () => {
    const client = sdkClient(running, "hub-overwrite");
    await client.createOrUpdateInstallation(createFcmV1Installation({ installationId: "a", pushChannel: FCM_TOKEN, tags: ["x"] }));
    await client.createOrUpdateInstallation(createFcmV1Installation({ installationId: "a", pushChannel: "other-token" }));
    expect(await client.getInstallation("a")).toMatchObject({ pushChannel: "other-token", tags: [] });
  });

  it("stores a browser installation with its subscription object", async () => {
    const client = sdkClient(running, "hub-browser");
    await client.createOrUpdateInstallation(createBrowserInstallation({ installationId: "web-1", pushChannel: BROWSER_CHANNEL }));
    expect((await client.getInstallation("web-1")).pushChannel).toEqual(BROWSER_CHANNEL);
    expect(running.emulator.view.listInstallations("hub-browser")).toHaveLength(1);
  });

  it("patches templates and the push channel", async () => {
    const client = sdkClient(running, "hub-patch");
    await client.createOrUpdateInstallation(createFcmV1Installation({ installationId: "p", pushChannel: FCM_TOKEN }));
    await client.updateInstallation("p", [
      { op: "add", path: "/templates/t1", value: JSON.stringify({ body: '{"message":{}}', tags: ["a"] }) },
      { op: "replace", path: "/pushChannel", value: "new-token" },
    ]);
    const read = await client.getInstallation("p");
    expect(read.pushChannel).toBe("new-token");
    expect(read.templates).toEqual({ t1: { body: '{"message":{}}', tags: ["a"] } });
  });

  it("answers 404 when patching a missing installation", async () => {
    expect(await statusOf(sdkClient(running, "hub-patch").updateInstallation("missing", [{ op: "add", path: "/tags", value: "a" }]))).toBe(404);
  });

  it.each([
    ["an unknown platform", { installationId: "x", platform: "nokia", pushChannel: "t" }, /platform/],
    ["a non-hex APNs token", { installationId: "x", platform: "apns", pushChannel: "not-hex" }, /hex/],
    ["an empty FCM token", { installationId: "x", platform: "fcmv1", pushChannel: "" }, /non-empty/],
    ["a non-https WNS channel", { installationId: "x", platform: "wns", pushChannel: "http://x.notify.windows.com/" }, /https/],
    ["a browser channel without keys", { installationId: "x", platform: "browser", pushChannel: { endpoint: "https://e.example/" } }, /p256dh/],
    ["a tag with a space", { installationId: "x", platform: "fcmv1", pushChannel: "t", tags: ["a b"] }, /tag 'a b' is invalid/],
    ["a 121-character tag", { installationId: "x", platform: "fcmv1", pushChannel: "t", tags: ["t".repeat(121)] }, /is invalid/],
    ["61 tags", { installationId: "x", platform: "fcmv1", pushChannel: "t", tags: Array.from({ length: 61 }, (_, i) => `t${i}`) }, /at most 60/],
  ])("refuses %s with 400 and NH's XML error detail", async (_name, installation, detail) => {
    const client = sdkClient(running, "hub-invalid");
    const error = await errorOf(client.createOrUpdateInstallation(installation as never));
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(detail);
    expect(error.message).toMatch(/TrackingId:/);
  });

  it("accepts exactly 60 tags", async () => {
    const tags = Array.from({ length: 60 }, (_, i) => `t${i}`);
    await sdkClient(running, "hub-invalid").createOrUpdateInstallation(createFcmV1Installation({ installationId: "sixty", pushChannel: "t", tags }));
  });

  it("lets the listen key manage installations", async () => {
    const client = sdkClient(running, "hub-listen", "listen");
    await client.createOrUpdateInstallation(createFcmV1Installation({ installationId: "l", pushChannel: FCM_TOKEN }));
    expect((await client.getInstallation("l")).installationId).toBe("l");
  });
});
