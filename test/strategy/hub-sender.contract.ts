import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryError } from "../../src/errors.js";
import type { HubSender } from "../../src/delivery/hubs/hub-sender.js";
import type { NativeSend } from "../../src/delivery/native-send.js";
import { HUB, startHubsFixture, type HubsFixture } from "../support/hubs-fixture.js";

export interface SenderHarness {
  sender: HubSender;
  close(): Promise<void>;
}

const androidSend = (userId: string, text: string): NativeSend => ({
  platform: "android",
  format: "fcmv1",
  purpose: "primary",
  tagExpression: `$UserId:{${userId}}`,
  contentType: "application/json;charset=utf-8",
  headers: {},
  body: JSON.stringify({ message: { data: { text }, android: { priority: "high" } } }),
});

async function setFaults(f: HubsFixture, spec: object | undefined): Promise<void> {
  const res = await fetch(`${f.emulator.url}/_emulator/api/hubs/${HUB}/faults`, {
    method: spec ? "PUT" : "DELETE",
    headers: { "content-type": "application/json" },
    body: spec ? JSON.stringify(spec) : undefined,
  });
  expect(res.ok).toBe(true);
}

async function rejection(p: Promise<unknown>): Promise<DeliveryError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(DeliveryError);
  return e as DeliveryError;
}

/**
 * What every HubSender does, against the emulator through the real SDK: sends exactly what it is
 * given, returns NH's ids, and turns every failure into a classified DeliveryError.
 */
export function describeHubSenderContract(name: string, make: (connectionString: string) => SenderHarness | Promise<SenderHarness>) {
  describe(`HubSender contract: ${name}`, () => {
    let f: HubsFixture;
    let h: SenderHarness;
    beforeAll(async () => {
      f = await startHubsFixture();
      await f.register("sam");
      h = await make(f.connectionString);
    });
    afterAll(async () => {
      await h?.close();
      await f?.close();
    });

    it("sends the native body and returns NH's notification and tracking ids", async () => {
      const receipt = await h.sender.send(androidSend("sam", "one"));
      expect(receipt.trackingId).toMatch(/\S/);
      expect(receipt.hubNotificationId).toMatch(/\S/);
      const delivered = f.emulator.emulator.view.listDeliveries({ hub: HUB, userId: "sam" });
      expect(delivered.map((d) => JSON.stringify(d)).join("\n")).toContain("one");
    });

    it("sends to the tag expression passed with the call instead of the send's own", async () => {
      const before = f.emulator.emulator.view.listDeliveries({ hub: HUB, userId: "sam" }).length;
      await h.sender.send(androidSend("sam", "elsewhere"), { tagExpression: "$UserId:{nobody}" });
      expect(f.emulator.emulator.view.listDeliveries({ hub: HUB, userId: "sam" })).toHaveLength(before);
    });

    it("keeps many sends in flight and answers each with its own receipt", async () => {
      const receipts = await Promise.all(Array.from({ length: 40 }, (_, i) => h.sender.send(androidSend("sam", `burst-${i}`))));
      expect(new Set(receipts.map((r) => r.trackingId)).size).toBe(40);
    });

    it("a 429 is retryable and carries Retry-After in milliseconds", async () => {
      await setFaults(f, { throttle: { retryAfterSeconds: 7, count: 1 } });
      const e = await rejection(h.sender.send(androidSend("sam", "throttled")));
      expect(e).toMatchObject({ status: 429, retryable: true, retryAfterMs: 7000 });
    });

    it("a 5xx is retryable; a 400 (invalid payload) is final", async () => {
      await setFaults(f, { serverError: { status: 503, count: 1 } });
      expect(await rejection(h.sender.send(androidSend("sam", "blip")))).toMatchObject({ status: 503, retryable: true });
      const bad = { ...androidSend("sam", "bad"), body: "{not json" };
      expect(await rejection(h.sender.send(bad))).toMatchObject({ status: 400, retryable: false });
    });

    it("checkReady passes while NH answers", async () => {
      await setFaults(f, undefined);
      await expect(h.sender.checkReady()).resolves.toBeUndefined();
    });
  });
}

/** A sender pointed at a port nobody listens on: unreachable is retryable, never a crash. */
export function describeUnreachableSender(name: string, make: (connectionString: string) => SenderHarness | Promise<SenderHarness>) {
  it(`${name}: an unreachable NH is a retryable DeliveryError without a status`, async () => {
    const h = await make("Endpoint=http://127.0.0.1:9/;SharedAccessKeyName=DefaultFullSharedAccessSignature;SharedAccessKey=" + Buffer.alloc(32, 1).toString("base64"));
    try {
      const e = await rejection(h.sender.send(androidSend("sam", "nowhere")));
      expect(e.retryable).toBe(true);
      expect(e.status).toBeUndefined();
    } finally {
      await h.close();
    }
  });
}
