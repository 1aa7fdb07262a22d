import { describe, expect, it } from "vitest";
import { StoreHealth, watchStore } from "./store-health.js";
import { StoreUnavailableError } from "./store-unavailable.js";

const full = () => Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });

function setup() {
  let nowMs = 0;
  let probeFails = true;
  let probes = 0;
  const changes: Array<{ available: boolean; downForMs?: number }> = [];
  const health = new StoreHealth({
    now: () => nowMs,
    probeIntervalMs: 1000,
    probe: async () => {
      probes++;
      if (probeFails) throw full();
    },
    onChange: ({ available, downForMs }) => changes.push({ available, downForMs }),
  });
  return {
    health, changes,
    advance: (ms: number) => void (nowMs += ms),
    heal: () => void (probeFails = false),
    probes: () => probes,
  };
}

describe("StoreHealth", () => {
  it("stays up on errors that are not outages", async () => {
    const t = setup();
    t.health.report(new Error("unique constraint"));
    expect(t.health.available).toBe(true);
    await t.health.check();
    expect(t.probes()).toBe(0);
  });

  it("goes down on an outage, probes at most once per interval, and comes back when a probe writes", async () => {
    const t = setup();
    t.health.report(full());
    expect(t.health.available).toBe(false);
    await expect(t.health.check()).rejects.toThrow(StoreUnavailableError);
    expect(t.probes()).toBe(0); // the failure itself was the latest probe
    t.advance(1000);
    await expect(t.health.check()).rejects.toThrow(/store unavailable for 1000 ms: database or disk is full/);
    expect(t.probes()).toBe(1);
    t.advance(500);
    await expect(t.health.check()).rejects.toThrow(StoreUnavailableError);
    expect(t.probes()).toBe(1);
    t.heal();
    t.advance(500);
    await t.health.check();
    expect(t.health.available).toBe(true);
    expect(t.changes).toEqual([{ available: false, downForMs: undefined }, { available: true, downForMs: 2000 }]);
  });

  it("reports each outage once, however many calls fail", () => {
    const t = setup();
    t.health.report(full());
    t.health.report(full());
    expect(t.changes).toHaveLength(1);
  });
});

describe("watchStore", () => {
  it("reports failed calls to the health, passes results and errors through unchanged", async () => {
    const t = setup();
    const store = {
      base: 1,
      async ok(x: number) { return x + this.base; },
      async broken() { throw full(); },
      sync() { return "s"; },
    };
    const watched = watchStore(store, t.health);
    expect(await watched.ok(1)).toBe(2);
    expect(watched.sync()).toBe("s");
    expect(t.health.available).toBe(true);
    await expect(watched.broken()).rejects.toMatchObject({ code: "SQLITE_FULL" });
    expect(t.health.available).toBe(false);
  });

  it("while down, a waitWhileDown method runs only after a probe succeeds; other methods still go through", async () => {
    const t = setup();
    let accepts = 0;
    const store = {
      async accept() { accepts++; return "accepted"; },
      async read() { return "row"; },
    };
    const watched = watchStore(store, t.health, { waitWhileDown: ["accept"] });
    expect(await watched.accept()).toBe("accepted");
    t.health.report(full());
    t.advance(1000);
    await expect(watched.accept()).rejects.toBeInstanceOf(StoreUnavailableError); // probe ran and failed
    await expect(watched.accept()).rejects.toBeInstanceOf(StoreUnavailableError); // rate-limited: fails fast
    expect(t.probes()).toBe(1);
    expect(await watched.read()).toBe("row");
    expect(accepts).toBe(1); // the freed space is left to the probe
    t.heal();
    t.advance(1000);
    expect(await watched.accept()).toBe("accepted");
    expect(t.health.available).toBe(true);
    expect(accepts).toBe(2);
  });
});
