import { describe, expect, it } from "vitest";
import { HubStore, MAX_DELIVERIES } from "./hub-store.js";
import type { RecordedDelivery } from "./model.js";

const delivery = (n: number): RecordedDelivery => ({
  id: `d${n}`, hub: "h", notificationId: `n${n}`, deviceHandle: "handle", platform: "fcmv1", format: "fcmv1",
  headers: {}, body: "{}", receivedAt: "2026-12-05T00:00:00.000Z",
});
const ids = (store: HubStore) => store.listDeliveries().map((d) => d.id);

describe("HubStore: recorded deliveries are bounded and drops are counted", () => {
  it("keeps the newest maxDeliveries, oldest dropped first, and counts every drop", () => {
    const store = new HubStore(() => {}, 3);
    store.recordDeliveries([delivery(1), delivery(2)]);
    expect(store.droppedDeliveries()).toBe(0);
    store.recordDeliveries([delivery(3), delivery(4), delivery(5)]);
    expect(ids(store)).toEqual(["d3", "d4", "d5"]);
    expect(store.droppedDeliveries()).toBe(2);
    store.recordDeliveries([delivery(6)]);
    expect(ids(store)).toEqual(["d4", "d5", "d6"]);
    expect(store.droppedDeliveries()).toBe(3);
  });

  it("applies the same bound to a restored state file", () => {
    const store = new HubStore(() => {}, 2);
    store.restore({ version: 1, hubs: ["h"], installations: [], notifications: [], deliveries: [delivery(1), delivery(2), delivery(3)] });
    expect(ids(store)).toEqual(["d2", "d3"]);
    expect(store.droppedDeliveries()).toBe(1);
  });

  it("defaults to MAX_DELIVERIES", () => {
    const store = new HubStore();
    store.recordDeliveries(Array.from({ length: MAX_DELIVERIES + 1 }, (_, i) => delivery(i)));
    expect(store.listDeliveries()).toHaveLength(MAX_DELIVERIES);
    expect(store.droppedDeliveries()).toBe(1);
    expect(store.listDeliveries()[0].id).toBe("d1");
  });
});
