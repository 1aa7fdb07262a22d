import { describe, expect, it } from "vitest";
import { countedAttempt, type AttemptEvent } from "./process-delivery.js";

describe("countedAttempt", () => {
  it("keeps what /metrics counts and leaves ids, errors and dates behind", () => {
    const e: AttemptEvent = {
      deliveryId: "d1", notificationId: "n1", platform: "ios", outcome: "retry", status: 503, timedOut: true, error: "NH answered 503",
      trackingId: "t1", latencyMs: 12, attempt: 3, nextAttemptAt: new Date(0), destination: "eu", role: "shadow",
    };
    expect(countedAttempt(e)).toEqual({ platform: "ios", outcome: "retry", status: 503, timedOut: true, latencyMs: 12, destination: "eu", role: "shadow" });
  });

  it("leaves absent fields absent, so nothing undefined is cloned across threads", () => {
    const c = countedAttempt({ deliveryId: "d1", notificationId: "n1", platform: "android", outcome: "sent", latencyMs: 4, attempt: 1 });
    expect(Object.keys(c).sort()).toEqual(["latencyMs", "outcome", "platform"]);
  });
});
