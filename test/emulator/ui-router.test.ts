import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createEmulatorUiRouter } from "../../src/emulator/ui/router.js";
import { aDelivery, anInstallation, FakeEmulatorView } from "./ui-fixtures.js";

function createTestApp(view: FakeEmulatorView): express.Express {
  const app = express();
  app.use("/_emulator", createEmulatorUiRouter(view));
  return app;
}

const older = aDelivery({ id: "d-old", receivedAt: "2025-01-01T10:00:00.000Z" });
const newer = aDelivery({ id: "d-new", receivedAt: "2025-01-01T10:05:00.000Z", userId: "bob", notificationId: "n-2" });
const android = aDelivery({
  id: "d-android", hub: "hub-b", platform: "fcmv1", installationId: "inst-android", receivedAt: "2025-01-01T10:01:00.000Z",
  body: JSON.stringify({ message: { notification: { title: "T" } } }),
});

describe("GET /_emulator/deliveries", () => {
  it("lists deliveries newest first", async () => {
    const res = await request(createTestApp(new FakeEmulatorView([], [older, android, newer]))).get("/_emulator/deliveries").expect(200);
    expect(res.body.deliveries.map((d: { id: string }) => d.id)).toEqual(["d-new", "d-android", "d-old"]);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.body.deliveries[0].rendered).toBeUndefined();
  });

  it("says how many older deliveries the emulator no longer keeps", async () => {
    const view = new FakeEmulatorView([], [newer]);
    expect((await request(createTestApp(view)).get("/_emulator/deliveries").expect(200)).body.droppedDeliveries).toBe(0);
    view.dropped = 25;
    expect((await request(createTestApp(view)).get("/_emulator/deliveries").expect(200)).body.droppedDeliveries).toBe(25);
  });

  it("puts the later-recorded one first when times are equal", async () => {
    const twin = aDelivery({ id: "d-twin", receivedAt: older.receivedAt });
    const res = await request(createTestApp(new FakeEmulatorView([], [older, twin]))).get("/_emulator/deliveries").expect(200);
    expect(res.body.deliveries.map((d: { id: string }) => d.id)).toEqual(["d-twin", "d-old"]);
  });

  it("passes every filter to the view and returns what matches", async () => {
    const view = new FakeEmulatorView([], [older, android, newer]);
    const res = await request(createTestApp(view))
      .get("/_emulator/deliveries")
      .query({ hub: "hub-a", installationId: "inst-ios", userId: "bob", platform: "APNS", notificationId: "n-2" })
      .expect(200);
    expect(res.body.deliveries.map((d: { id: string }) => d.id)).toEqual(["d-new"]);
    expect(view.deliveryFilters).toEqual([
      { hub: "hub-a", installationId: "inst-ios", userId: "bob", platform: "apns", notificationId: "n-2" },
    ]);
  });

  it("filters by platform alone", async () => {
    const res = await request(createTestApp(new FakeEmulatorView([], [older, android]))).get("/_emulator/deliveries?platform=fcmv1");
    expect(res.body.deliveries.map((d: { id: string }) => d.id)).toEqual(["d-android"]);
  });

  it("adds the rendered description with view=1", async () => {
    const res = await request(createTestApp(new FakeEmulatorView([], [android]))).get("/_emulator/deliveries?view=1").expect(200);
    expect(res.body.deliveries[0].rendered).toMatchObject({ kind: "android-notification", title: "T" });
  });

  it("refuses unknown query parameters and names them", async () => {
    const res = await request(createTestApp(new FakeEmulatorView())).get("/_emulator/deliveries?hub=a&tag=x&user=y").expect(400);
    expect(res.body.error).toMatchObject({ code: "UNKNOWN_QUERY_PARAMETER", parameters: ["tag", "user"] });
    expect(res.body.error.message).toContain("tag, user");
  });

  it("refuses a repeated parameter", async () => {
    const res = await request(createTestApp(new FakeEmulatorView())).get("/_emulator/deliveries?hub=a&hub=b").expect(400);
    expect(res.body.error).toMatchObject({ code: "INVALID_QUERY_PARAMETER", parameters: ["hub"] });
  });

  it("refuses an unknown platform and a bad view flag", async () => {
    const app = createTestApp(new FakeEmulatorView());
    const platform = await request(app).get("/_emulator/deliveries?platform=symbian").expect(400);
    expect(platform.body.error).toMatchObject({ code: "INVALID_QUERY_PARAMETER", parameters: ["platform"] });
    const flag = await request(app).get("/_emulator/deliveries?view=yes").expect(400);
    expect(flag.body.error.parameters).toEqual(["view"]);
  });
});

describe("GET /_emulator/installations", () => {
  const view = new FakeEmulatorView([anInstallation(), anInstallation({ hub: "hub-b", installationId: "inst-b" })], [], ["hub-empty"]);

  it("lists hubs and all installations", async () => {
    const res = await request(createTestApp(view)).get("/_emulator/installations").expect(200);
    expect(res.body.hubs).toEqual(["hub-a", "hub-b", "hub-empty"]);
    expect(res.body.installations.map((i: { installationId: string }) => i.installationId)).toEqual(["inst-ios", "inst-b"]);
  });

  it("filters by hub", async () => {
    const res = await request(createTestApp(view)).get("/_emulator/installations?hub=hub-b").expect(200);
    expect(res.body.installations.map((i: { installationId: string }) => i.installationId)).toEqual(["inst-b"]);
  });

  it("refuses unknown query parameters", async () => {
    const res = await request(createTestApp(view)).get("/_emulator/installations?platform=apns").expect(400);
    expect(res.body.error).toMatchObject({ code: "UNKNOWN_QUERY_PARAMETER", parameters: ["platform"] });
  });
});

describe("GET /_emulator/", () => {
  it("serves a self-contained page locked down by a hash-based CSP", async () => {
    const res = await request(createTestApp(new FakeEmulatorView())).get("/_emulator/").expect(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    const csp = res.headers["content-security-policy"];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(res.text).not.toMatch(/(src|href)=["']?https?:/);
    expect(res.text).toContain('fetch(url');
    expect(res.text).not.toContain('"/_emulator');
  });

  it("redirects the slash-less mount path so relative fetches resolve under it", async () => {
    const res = await request(createTestApp(new FakeEmulatorView())).get("/_emulator?x=1").expect(302);
    expect(res.headers.location).toBe("_emulator/?x=1");
  });
});

describe("GET /_emulator/deliveries?view=1 with the bridge's feed sync pushes", () => {
  const shown = aDelivery({ id: "d-shown", body: JSON.stringify({ aps: { alert: { title: "Order 2" } }, gnb: { id: "bridge-n-2" } }) });
  const sync = (id: string, version: number, userActionState: string, receivedAt: string) => aDelivery({
    id, platform: "wns", format: "windows", installationId: "inst-win", receivedAt,
    headers: { "X-WNS-Type": "wns/raw" },
    body: JSON.stringify({ gnbSync: { type: "feedStateChanged", more: false, changes: [{ id: "bridge-n-2", readState: "read", userActionState, version }] } }),
  });

  it("marks the sync pushes and shows the newest state on the notification, whichever arrived last", async () => {
    const view = new FakeEmulatorView([], [shown, sync("d-sync-3", 3, "dismissed", "2025-01-01T10:01:00.000Z"), sync("d-sync-2", 2, "activated", "2025-01-01T10:02:00.000Z")]);
    const res = await request(createTestApp(view)).get("/_emulator/deliveries?view=1").expect(200);
    const byId = Object.fromEntries(res.body.deliveries.map((d: { id: string; rendered: Record<string, unknown> }) => [d.id, d.rendered]));
    expect(byId["d-shown"].feedState).toEqual({ readState: "read", userActionState: "dismissed" });
    expect(byId["d-sync-3"].label).toMatch(/^Feed sync/);
    expect(byId["d-sync-3"].feedSync).toEqual([{ id: "bridge-n-2", readState: "read", userActionState: "dismissed", version: 3 }]);
    expect(byId["d-sync-3"].feedState).toBeUndefined();
  });

  it("reads the sync payload from an FCM data message too, and leaves other notifications alone", async () => {
    const fcm = aDelivery({ id: "d-fcm", platform: "fcmv1", format: "fcmv1", headers: {},
      body: JSON.stringify({ message: { data: { gnbSync: JSON.stringify({ changes: [{ id: "bridge-n-2", readState: "unread", userActionState: "snoozed", version: 5 }] }) } } }) });
    const other = aDelivery({ id: "d-other", body: JSON.stringify({ aps: { alert: { title: "x" } }, gnb: { id: "bridge-n-9" } }) });
    const res = await request(createTestApp(new FakeEmulatorView([], [shown, fcm, other]))).get("/_emulator/deliveries?view=1").expect(200);
    const byId = Object.fromEntries(res.body.deliveries.map((d: { id: string; rendered: Record<string, unknown> }) => [d.id, d.rendered]));
    expect(byId["d-shown"].feedState).toEqual({ readState: "unread", userActionState: "snoozed" });
    expect(byId["d-other"].feedState).toBeUndefined();
  });
});
