import { describe, expect, it } from "vitest";
import type { HubSender } from "../delivery/hubs/hub-sender.js";
import type { NativeSend } from "../delivery/native-send.js";
import { DeliveryError } from "../errors.js";
import { DestinationSet, routedHubSender } from "./destination-set.js";
import type { RoutingTable } from "./types.js";

const hubs = (hubName: string, key = "k") => ({ type: "hubs" as const, connectionString: `Endpoint=sb://ns/;SharedAccessKeyName=n;SharedAccessKey=${key}`, connectionStringSource: "env:X", hubName });
const table = (destinations: RoutingTable["destinations"], dflt: string): RoutingTable => ({ destinations, routes: [], default: dflt });
const aSend = (destination?: string) => ({ platform: "android", format: "fcmv1", purpose: "primary", tagExpression: "t", contentType: "application/json", headers: {}, body: "{}", ...(destination ? { destination } : {}) }) as NativeSend;

/** A factory whose hubs record what they were asked to send; counts what it built and closed. */
function recordingFactory() {
  const sent: string[] = [];
  const built: string[] = [];
  const closed: string[] = [];
  const factory = async (name: string, d: ReturnType<typeof hubs>) => {
    const label = `${name}@${d.hubName}/${d.connectionString.slice(-1)}`;
    built.push(label);
    const sender: HubSender = { send: async () => { sent.push(label); return {}; }, checkReady: async () => undefined };
    return { sender, close: async () => { closed.push(label); } };
  };
  return { factory, sent, built, closed };
}

describe("the hubs of the routing in force", () => {
  it("sends each delivery to the hub recorded with it; none recorded goes to the default", async () => {
    const f = recordingFactory();
    const set = new DestinationSet(f.factory, () => new Date());
    await set.update(table({ a: hubs("hub-a"), b: hubs("hub-b"), legacy: { type: "graph" } }, "b"));
    const sender = routedHubSender(set);
    await sender.send(aSend("a"));
    await sender.send(aSend());
    expect(f.sent).toEqual(["a@hub-a/k", "b@hub-b/k"]);
    expect(set.names()).toEqual(["a", "b"]);
  });

  it("keeps unchanged hubs on reload, rebuilds changed ones, and keeps removed ones for accepted work", async () => {
    const f = recordingFactory();
    const set = new DestinationSet(f.factory, () => new Date());
    await set.update(table({ a: hubs("hub-a"), b: hubs("hub-b"), c: hubs("hub-c") }, "a"));
    await set.update(table({ a: hubs("hub-a"), b: hubs("hub-b", "2") }, "a"));
    expect(f.built).toEqual(["a@hub-a/k", "b@hub-b/k", "c@hub-c/k", "b@hub-b/2"]);
    expect(f.closed).toEqual(["b@hub-b/k"]);
    expect(set.names()).toEqual(["a", "b"]);
    await routedHubSender(set).send(aSend("c"));
    await routedHubSender(set).send(aSend("b"));
    expect(f.sent).toEqual(["c@hub-c/k", "b@hub-b/2"]);
  });

  it("fails a send for a destination it never had with a retryable error saying what to do", async () => {
    const set = new DestinationSet(recordingFactory().factory, () => new Date());
    await set.update(table({ a: hubs("hub-a") }, "a"));
    const error = await routedHubSender(set).send(aSend("gone")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining("destination 'gone' is not in the routing in force; add it back to ROUTING_FILE and reload") });
  });

  it("changes nothing when a hub of the new table cannot be built", async () => {
    const f = recordingFactory();
    let fail = false;
    const set = new DestinationSet(async (name, d) => {
      if (fail) throw new Error("cannot build");
      return f.factory(name, d);
    }, () => new Date());
    await set.update(table({ a: hubs("hub-a") }, "a"));
    fail = true;
    await expect(set.update(table({ b: hubs("hub-b") }, "b"))).rejects.toThrow("cannot build");
    expect(set.names()).toEqual(["a"]);
    await routedHubSender(set).send(aSend());
    expect(f.sent).toEqual(["a@hub-a/k"]);
  });
});
