import { afterEach, describe, expect, it } from "vitest";
import { FaultRegistry } from "./faults.js";
import { type ScheduledEntry, Scheduler } from "./scheduler.js";

function entry(id: string, dueAt: string, hub = "h"): ScheduledEntry {
  return { id, dueAt, send: { hub, notification: { format: "apple", contentType: "application/json", headers: {}, body: "{}" }, target: { kind: "broadcast" } } };
}

describe("Scheduler", () => {
  let current = new Date("2025-01-01T00:00:00Z");
  const fired: string[] = [];
  const scheduler = new Scheduler({ now: () => current, fire: (e) => fired.push(e.id) });
  afterEach(() => scheduler.stop());

  it("fires due entries oldest first, only once, judged by the injected clock", () => {
    scheduler.add(entry("b", "2025-01-01T00:00:20Z"));
    scheduler.add(entry("a", "2025-01-01T00:00:10Z"));
    scheduler.add(entry("c", "2025-01-01T00:01:00Z"));
    expect(scheduler.runDue()).toBe(0);
    current = new Date("2025-01-01T00:00:30Z");
    expect(scheduler.runDue()).toBe(2);
    expect(fired).toEqual(["a", "b"]);
    expect(scheduler.runDue()).toBe(0);
    expect(scheduler.list().map((e) => e.id)).toEqual(["c"]);
  });

  it("cancels only within the entry's hub", () => {
    scheduler.add(entry("d", "2025-01-02T00:00:00Z", "other"));
    expect(scheduler.cancel("h", "d")).toBe(false);
    expect(scheduler.cancel("other", "d")).toBe(true);
    expect(scheduler.cancel("other", "d")).toBe(false);
  });
});

describe("FaultRegistry", () => {
  it("uses up counted faults and then clears them", () => {
    const faults = new FaultRegistry({ h: { serverError: { status: 503, count: 1 }, latencyMs: 5 } });
    expect(faults.take("h")).toMatchObject({ delayMs: 5, error: { status: 503 } });
    expect(faults.take("h")).toEqual({ delayMs: 5 });
    expect(faults.get("h")).toEqual({ latencyMs: 5 });
  });
  it("keeps an uncounted throttle and reports Retry-After", () => {
    const faults = new FaultRegistry({ h: { throttle: { retryAfterSeconds: 3 } } });
    for (let i = 0; i < 3; i += 1) expect(faults.take("h").error).toMatchObject({ status: 429, headers: { "Retry-After": "3" } });
    expect(faults.take("other")).toEqual({ delayMs: 0 });
  });
  it("rejects an invalid spec", () => {
    expect(() => new FaultRegistry({ h: { serverError: { status: 404 } } })).toThrow();
  });
});
