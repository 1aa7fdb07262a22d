import { describe, expect, it } from "vitest";
import { DeliveryError } from "../../errors.js";
import { cacheReadiness, READY_CACHE_MS, type HubSender } from "./hub-sender.js";

function countingSender(failing: () => boolean): HubSender & { checks: number } {
  const s = {
    checks: 0,
    send: async () => ({}),
    async checkReady() {
      s.checks++;
      if (failing()) throw new DeliveryError("down", { retryable: true });
    },
  };
  return s;
}

describe("cacheReadiness", () => {
  it("trusts a healthy answer for READY_CACHE_MS of its clock, then asks again", async () => {
    let t = 0;
    const inner = countingSender(() => false);
    const s = cacheReadiness(inner, () => new Date(t));
    await s.checkReady();
    t += READY_CACHE_MS - 1;
    await s.checkReady();
    expect(inner.checks).toBe(1);
    t += 1;
    await s.checkReady();
    expect(inner.checks).toBe(2);
  });

  it("never caches a failure, and asks again when the clock goes backwards", async () => {
    let t = 1_000_000;
    let down = true;
    const inner = countingSender(() => down);
    const s = cacheReadiness(inner, () => new Date(t));
    await expect(s.checkReady()).rejects.toThrow("down");
    await expect(s.checkReady()).rejects.toThrow("down");
    down = false;
    await s.checkReady();
    t -= 1;
    await s.checkReady();
    expect(inner.checks).toBe(4);
  });
});
