import request from "supertest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RecordedDelivery } from "../../src/emulator/model.js";
import { HUB, hubsApp, startHubsFixture, type HubsFixture } from "../support/hubs-fixture.js";
import { RECORDED_RAW, RECORDED_VISUAL } from "../support/test-app.js";

const FIXED_ID = "0f8fad5b-d9cb-469f-a165-70867728950e";

/**
 * Issue 2 acceptance, end to end: legacy request → bridge (hubs strategy, direct mode) → the real
 * @azure/notification-hubs SDK → the emulator over a loopback socket, which checks SAS signatures
 * and records what each device received.
 */
describe("hubs strategy end to end (direct mode)", () => {
  let f: HubsFixture;
  const deliveriesFor = (userId: string): RecordedDelivery[] => f.emulator.emulator.view.listDeliveries({ hub: HUB, userId });
  const byPlatform = (ds: RecordedDelivery[], p: string) => ds.filter((d) => d.platform === p);
  /** Runs `fn` and returns what alice's devices received meanwhile. */
  async function receivedDuring(userId: string, fn: () => Promise<unknown>): Promise<RecordedDelivery[]> {
    const seen = new Set(deliveriesFor(userId).map((d) => d.id));
    await fn();
    return deliveriesFor(userId).filter((d) => !seen.has(d.id));
  }
  const header = (d: RecordedDelivery, name: string) => Object.entries(d.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

  beforeAll(async () => {
    f = await startHubsFixture();
    await f.register("alice");
    await f.register("bob");
  });
  afterAll(() => f.close());
  let app: ReturnType<typeof hubsApp>["app"];
  beforeEach(() => {
    app = hubsApp(f, { mode: "direct", newId: () => FIXED_ID }).app;
  });

  it("delivers the recorded raw example as background/data/raw pushes and answers a Graph-shaped 201", async () => {
    let res!: request.Response;
    const got = await receivedDuring("alice", async () => (res = await request(app).post("/beta/me/notifications").set("X-UNS-ID", "alice").send(RECORDED_RAW)));
    expect(res.status).toBe(201);
    expect(res.body.id).toBe(FIXED_ID);
    expect(res.headers.location).toMatch(new RegExp(`/beta/me/activities/${FIXED_ID}$`));
    expect(got).toHaveLength(3); // windows, ios, android: no web push targeted

    const [ios] = byPlatform(got, "apns");
    expect(header(ios, "apns-push-type")).toBe("background");
    expect(header(ios, "apns-priority")).toBe("5");
    const apns = JSON.parse(ios.body);
    expect(apns.aps).toEqual({ "content-available": 1 });
    expect(apns.rawContent).toBe("Hello World!");
    expect(apns.gnb.id).toBe(FIXED_ID);

    const [android] = byPlatform(got, "fcmv1");
    const fcm = JSON.parse(android.body);
    expect(fcm.message.notification).toBeUndefined();
    expect(fcm.message.token).toBeUndefined();
    expect(fcm.message.data.rawContent).toBe("Hello World!");
    expect(Object.values(fcm.message.data).every((v) => typeof v === "string")).toBe(true);
    expect(fcm.message.android.priority).toBe("HIGH");

    const [windows] = byPlatform(got, "wns");
    expect(header(windows, "X-WNS-Type")).toBe("wns/raw");
    expect(header(windows, "Content-Type")).toBe("application/octet-stream");
    expect(windows.body).toBe("Hello World!");

    expect(byPlatform(got, "browser")).toHaveLength(0);
  });

  it("delivers the recorded visual example as alert/notification/toast", async () => {
    let res!: request.Response;
    const got = await receivedDuring("alice", async () => (res = await request(app).post("/beta/me/notifications").set("X-UNS-ID", "alice").send(RECORDED_VISUAL)));
    expect(res.status).toBe(201);
    expect(res.body.payload.visualContent).toEqual({ title: "Hello World!", body: "Notifications are Great!" });
    expect(got).toHaveLength(3);

    const [ios] = byPlatform(got, "apns");
    expect(header(ios, "apns-push-type")).toBe("alert");
    expect(header(ios, "apns-priority")).toBe("10");
    const aps = JSON.parse(ios.body).aps;
    expect(aps.alert).toEqual({ title: "Hello World!", body: "Notifications are Great!" });
    expect(aps["thread-id"]).toBe("TestGroup");

    const fcm = JSON.parse(byPlatform(got, "fcmv1")[0].body);
    expect(fcm.message.notification).toEqual({ title: "Hello World!", body: "Notifications are Great!" });
    expect(fcm.message.android.priority).toBe("HIGH");

    const [windows] = byPlatform(got, "wns");
    expect(header(windows, "X-WNS-Type")).toBe("wns/toast");
    expect(windows.body).toContain('<binding template="ToastGeneric"><text>Hello World!</text><text>Notifications are Great!</text>');
  });

  it("reaches nobody but the targeted user", async () => {
    const bobBefore = deliveriesFor("bob").length;
    await request(app).post("/beta/me/notifications").set("X-UNS-ID", "alice").send(RECORDED_VISUAL).expect(201);
    expect(deliveriesFor("bob").length).toBe(bobBefore);
  });

  it("previews exactly what it then sends", async () => {
    const preview = await request(app).post("/bridge/preview").set("X-UNS-ID", "alice").send(RECORDED_VISUAL);
    expect(preview.status).toBe(200);
    expect(preview.body.sent).toBe(false);
    expect(preview.body.sends).toHaveLength(3);
    const got = await receivedDuring("alice", () => request(app).post("/beta/me/notifications").set("X-UNS-ID", "alice").send(RECORDED_VISUAL).expect(201));
    const platformOf = { apple: "apns", fcmv1: "fcmv1", windows: "wns", browser: "browser" } as Record<string, string>;
    for (const send of preview.body.sends as Array<{ format: string; tagExpression: string; body: string; headers: Record<string, string> }>) {
      expect(send.tagExpression).toBe("$UserId:{alice}");
      const [received] = byPlatform(got, platformOf[send.format]);
      expect(received.body).toBe(send.body);
      for (const [k, v] of Object.entries(send.headers)) {
        if (k.toLowerCase().startsWith("servicebusnotification-")) continue; // NH's own, not forwarded to the device
        expect(header(received, k)).toBe(v);
      }
    }
  });

  it("sends nothing for invalid requests", async () => {
    const before = f.emulator.emulator.view.listDeliveries({ hub: HUB }).length;
    const invalid: Array<[Record<string, unknown> | unknown[], Record<string, string>]> = [
      [[RECORDED_RAW], { "X-UNS-ID": "alice" }],
      [{ targetHostName: "h", payload: {} }, { "X-UNS-ID": "alice" }],
      [{ targetHostName: "h", payload: { visualContent: { body: "no title" } } }, { "X-UNS-ID": "alice" }],
      [RECORDED_RAW, {}],
      [RECORDED_RAW, { "X-UNS-ID": "alice", "If-Modified-Since": "Wed, 21 Oct 2015 07:28:00 GMT" }],
      [{ ...RECORDED_RAW, expirationDateTime: "2001-01-01T00:00:00Z" }, { "X-UNS-ID": "alice" }],
    ];
    for (const [body, headers] of invalid) {
      const res = await request(app).post("/beta/me/notifications").set(headers).send(body as object);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("BadRequest");
    }
    expect(f.emulator.emulator.view.listDeliveries({ hub: HUB }).length).toBe(before);
  });

  it("turns NH throttling into a 503 that passes Retry-After on", async () => {
    f.emulator.emulator.setFaults(HUB, { throttle: { retryAfterSeconds: 7 } });
    try {
      const res = await request(app).post("/beta/me/notifications").set("X-UNS-ID", "alice").send(RECORDED_VISUAL);
      expect(res.status).toBe(503);
      expect(res.headers["retry-after"]).toBe("7");
      expect(res.body.error.code).toBe("ServiceUnavailable");
    } finally {
      f.emulator.emulator.setFaults(HUB, undefined);
    }
  });

  it("never lets the SDK retry a send by itself (one throttled answer is the answer)", async () => {
    f.emulator.emulator.setFaults(HUB, { throttle: { retryAfterSeconds: 1, count: 1 } });
    try {
      const got = await receivedDuring("alice", async () => {
        const res = await request(app).post("/beta/me/notifications").set("X-UNS-ID", "alice").send({ ...RECORDED_VISUAL, targetPolicy: { platformTypes: ["ios"] } });
        expect(res.status).toBe(503);
      });
      expect(got).toHaveLength(0); // an SDK retry would have got through after the single 429
    } finally {
      f.emulator.emulator.setFaults(HUB, undefined);
    }
  });

  it("turns an NH server error into a Graph-shaped 502", async () => {
    f.emulator.emulator.setFaults(HUB, { serverError: { status: 500 } });
    try {
      const res = await request(app).post("/beta/me/notifications").set("X-UNS-ID", "alice").send(RECORDED_VISUAL);
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe("BadGateway");
    } finally {
      f.emulator.emulator.setFaults(HUB, undefined);
    }
  });

  it("sends to a UNS ID that is not a valid tag through its documented encoding", async () => {
    const weird = "uns id/with spaces+slashes==";
    const res = await request(app).post("/bridge/preview").set("X-UNS-ID", weird).send(RECORDED_VISUAL);
    expect(res.body.sends[0].tagExpression).toMatch(/^\$UserId:\{h-[0-9a-f]{48}\}$/);
  });
});
