import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedDelivery } from "../../src/emulator/model.js";
import { APP_ID } from "../auth/fake-entra.js";
import { expectGraphError } from "../security/http-client.js";
import { until } from "../support/until.js";
import { ALICE, HOST, OTHER_HOST, startClientBridge, type ClientBridge } from "./client-fixture.js";
import { channelsFor, PLATFORMS } from "./devices.js";

/**
 * The whole path over real sockets: a user (delegated token from the fake Entra, checked by the
 * real verifier) gets a subscription id and registers four devices; the app service (app token)
 * posts with that id; the outbox sends through the real SDK to the embedded emulator.
 */
let b: ClientBridge;
let subscriptionId: string;
const BOB = "bbbbbbbb-0000-4000-8000-0000000000b7";

beforeAll(async () => {
  b = await startClientBridge();
  const token = await b.userToken();
  subscriptionId = (await b.call(token, "POST", "/bridge/me/subscriptions", { targetHostName: HOST })).json.id as string;
  const channels = channelsFor("alice-sends");
  for (const platform of PLATFORMS) {
    const a = await b.call(token, "PUT", `/bridge/me/installations/alice-${platform}`, { targetHostName: HOST, platform, pushChannel: channels[platform] });
    expect(a.status, a.text).toBe(201);
  }
});
afterAll(async () => {
  await b?.close();
});

const visual = (title: string, host = HOST) => ({ targetHostName: host, payload: { visualContent: { title, body: "from the app service" } } });
const appPost = async (unsId: string, body: unknown, path = "/beta/me/notifications") =>
  b.call(await b.tokenFor(APP_ID), "POST", path, body, { "X-UNS-ID": unsId });
const deliveries = async (filter: Record<string, string>): Promise<RecordedDelivery[]> =>
  ((await (await fetch(`${b.bridge.emulatorUrl}/_emulator/deliveries?${new URLSearchParams(filter)}`)).json()) as { deliveries: RecordedDelivery[] }).deliveries;
const received = (title: string, userId: string, count: number) =>
  until(`${count} deliveries of '${title}'`, async () => {
    const got = (await deliveries({ userId })).filter((d) => d.body.includes(title));
    return got.length >= count ? got : undefined;
  });
const sendsSoFar = async () => ((await (await fetch(`${b.bridge.emulatorUrl}/_emulator/api/hubs/bridge/notifications`)).json()) as { notifications: unknown[] }).notifications.length;

describe("sends to a registered subscription id", () => {
  it("reaches each of the user's devices with its platform's payload", async () => {
    const a = await appPost(subscriptionId, visual("Order 42 shipped"));
    expect(a.status, a.text).toBe(201);
    const got = await received("Order 42 shipped", subscriptionId, 4);
    const byDevice = Object.fromEntries(got.map((d) => [d.installationId, d]));
    expect(Object.keys(byDevice).sort()).toEqual(PLATFORMS.map((p) => `alice-${p}`).sort());
    expect(JSON.parse(byDevice["alice-apns"].body).aps.alert.title).toBe("Order 42 shipped");
    expect(JSON.parse(byDevice["alice-fcmv1"].body).message.notification.title).toBe("Order 42 shipped");
    expect(byDevice["alice-wns"].body).toMatch(/<toast[\s\S]*<text[^>]*>Order 42 shipped<\/text>/);
    expect(JSON.parse(byDevice["alice-browser"].body).title).toBe("Order 42 shipped");
    for (const d of got) expect(d.userId).toBe(subscriptionId);
  });

  it("shows which installations were targeted, and how many, on GET /beta/me/notifications/{id} and in the preview", async () => {
    const a = await appPost(subscriptionId, visual("Status check"));
    const status = await b.call(await b.tokenFor(APP_ID), "GET", `/beta/me/notifications/${String(a.json.id)}`);
    expect(status.status, status.text).toBe(200);
    const expected = { subscriptionId, installationCount: 4, installations: PLATFORMS.map((p) => ({ id: `alice-${p}`, platform: p })).sort((x, y) => x.id.localeCompare(y.id)) };
    expect(status.json.targets).toEqual(expected);
    const preview = await appPost(subscriptionId, visual("Preview only"), "/bridge/preview");
    expect(preview.status, preview.text).toBe(200);
    expect(preview.json.targets).toEqual(expected);
    expect((preview.json.sends as Array<{ tagExpression: string }>).every((s) => s.tagExpression === `$UserId:{${subscriptionId}}`)).toBe(true);
  });

  it("reaches the same devices through a claimed legacy UNS ID", async () => {
    const legacy = "0f8fad5b-d9cb-469f-a165-70867728950e";
    expect((await b.call(await b.userToken(), "POST", "/bridge/me/subscriptions", { targetHostName: HOST, legacyUnsId: legacy })).status).toBe(201);
    expect((await appPost(legacy, visual("Via the legacy id"))).status).toBe(201);
    expect(await received("Via the legacy id", subscriptionId, 4)).toHaveLength(4);
  });

  it("sends a delegated POST to the caller's own devices, whatever X-UNS-ID says", async () => {
    const a = await b.call(await b.userToken(), "POST", "/beta/me/notifications", visual("Note to self"), { "X-UNS-ID": "someone-else" });
    expect(a.status, a.text).toBe(201);
    expect(await received("Note to self", subscriptionId, 4)).toHaveLength(4);
  });
});

describe("refusals with nothing sent", () => {
  it("answers 404 to a known id posted for another host, storing and sending nothing", async () => {
    const before = { rows: b.countNotifications(), sends: await sendsSoFar() };
    const a = await appPost(subscriptionId, visual("Wrong host", OTHER_HOST));
    expectGraphError(a, 404, "ResourceNotFound");
    expectGraphError(await appPost(subscriptionId, visual("Wrong host", OTHER_HOST), "/bridge/preview"), 404, "ResourceNotFound");
    expect(b.countNotifications()).toBe(before.rows);
    expect(await sendsSoFar()).toBe(before.sends);
  });

  it("keeps today's tag targeting for an id the bridge never saw (UNS_ID_POLICY=any)", async () => {
    const a = await appPost("never-registered-id", visual("Unknown id"));
    expect(a.status, a.text).toBe(201);
    const preview = await appPost("never-registered-id", visual("Unknown id"), "/bridge/preview");
    expect(preview.json.targets).toBeNull();
    expect((preview.json.sends as Array<{ tagExpression: string }>)[0].tagExpression).toBe("$UserId:{never-registered-id}");
  });
});

describe("deleting an installation", () => {
  it("takes it off the hub: the next send does not reach it", async () => {
    const token = await b.userToken({ oid: BOB });
    const bobId = (await b.call(token, "POST", "/bridge/me/subscriptions", { targetHostName: HOST })).json.id as string;
    for (const platform of ["apns", "wns"] as const) {
      await b.call(token, "PUT", `/bridge/me/installations/bob-${platform}`, { targetHostName: HOST, platform, pushChannel: channelsFor("bob")[platform] });
    }
    expect((await b.call(token, "DELETE", "/bridge/me/installations/bob-wns")).status).toBe(204);
    const a = await appPost(bobId, visual("After logout"));
    const status = await b.call(await b.tokenFor(APP_ID), "GET", `/beta/me/notifications/${String(a.json.id)}`);
    expect(status.json.targets).toMatchObject({ installationCount: 1, installations: [{ id: "bob-apns", platform: "apns" }] });
    await received("After logout", bobId, 1);
    await until("every delivery of the notification settled", async () => {
      const s = await b.call(await b.tokenFor(APP_ID), "GET", `/beta/me/notifications/${String(a.json.id)}`);
      return (s.json.deliveries as Array<{ state: string }>).every((d) => d.state !== "pending" && d.state !== "retrying") ? true : undefined;
    });
    expect((await deliveries({ installationId: "bob-wns" })).length).toBe(0);
    expect((await deliveries({ userId: bobId })).map((d) => d.installationId)).toEqual(["bob-apns"]);
  });
});

describe("UNS_ID_POLICY=registered-only", () => {
  it("answers 404 to an unknown id, storing and sending nothing; a registered id still works", async () => {
    const strict = await startClientBridge({ UNS_ID_POLICY: "registered-only" });
    try {
      const before = strict.countNotifications();
      const a = await strict.call(await strict.tokenFor(APP_ID), "POST", "/beta/me/notifications", visual("Unknown"), { "X-UNS-ID": "never-registered-id" });
      expectGraphError(a, 404, "ResourceNotFound");
      expect(strict.countNotifications()).toBe(before);
      const id = (await strict.call(await strict.userToken({ oid: ALICE }), "POST", "/bridge/me/subscriptions", { targetHostName: HOST })).json.id as string;
      const ok = await strict.call(await strict.tokenFor(APP_ID), "POST", "/beta/me/notifications", visual("Known"), { "X-UNS-ID": id });
      expect(ok.status, ok.text).toBe(201);
    } finally {
      await strict.close();
    }
  });
});
