import { describe, expect, it } from "vitest";
import { createHubDestination } from "../../src/delivery/hubs/hub-destination.js";
import { HUB } from "../support/hubs-fixture.js";
import { describeHubSenderContract, describeUnreachableSender } from "./hub-sender.contract.js";

const now = () => new Date();

/** A destination's sender: the SDK on this loop (threads 0) or on sender threads. */
const destination = (threads: number) => (connectionString: string) =>
  createHubDestination({ name: "contract", connectionString, hubName: HUB, timeoutMs: 5000, now, sendThreads: threads });
const onLoop = destination(0);
const onThreads = destination;

describeHubSenderContract("SDK on the event loop (NH_SEND_THREADS=0)", onLoop);
describeHubSenderContract("one sender thread (NH_SEND_THREADS=1)", onThreads(1));
describeHubSenderContract("two sender threads", onThreads(2));

describe("unreachable Notification Hubs", () => {
  describeUnreachableSender("on the loop", onLoop);
  describeUnreachableSender("on a thread", onThreads(1));
});

describe("sender threads stopping", () => {
  it("a send in flight when the threads stop fails as retryable, so the outbox sends it again", async () => {
    const { startHubsFixture } = await import("../support/hubs-fixture.js");
    const f = await startHubsFixture();
    const h = await onThreads(1)(f.connectionString);
    try {
      await fetch(`${f.emulator.url}/_emulator/api/hubs/${HUB}/faults`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ latencyMs: 3000 }) });
      const inFlight = h.sender.send({ platform: "android", format: "fcmv1", purpose: "primary", tagExpression: "$UserId:{x}", contentType: "application/json", headers: {}, body: "{}" });
      const outcome = inFlight.then(() => "sent", (e: unknown) => e);
      await new Promise((r) => setTimeout(r, 300));
      await h.close();
      expect(await outcome).toMatchObject({ name: "DeliveryError", retryable: true, status: undefined });
      await expect(h.sender.send({ platform: "android", format: "fcmv1", purpose: "primary", tagExpression: "$UserId:{x}", contentType: "application/json", headers: {}, body: "{}" })).rejects.toMatchObject({ retryable: true });
    } finally {
      await f.close();
    }
  });
});
