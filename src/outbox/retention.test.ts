import { describe, expect, it } from "vitest";
import type { Store } from "../store/store.js";
import { createRetention } from "./retention.js";

/** A store whose purge removes up to `limit` of `left` old notifications. */
function purgingStore(left: number) {
  const calls: Array<{ before: Date; limit: number }> = [];
  const store = {
    async purgeFinished(o: { before: Date; limit: number }) {
      calls.push(o);
      const n = Math.min(left, o.limit);
      left -= n;
      return n;
    },
  } as unknown as Store;
  return { store, calls, left: () => left };
}

describe("retention sweep", () => {
  it("purges batch after batch until a short one, before now minus the retention", async () => {
    const s = purgingStore(2500);
    const purged: number[] = [];
    const r = createRetention({ store: s.store, now: () => new Date(Date.UTC(2026, 10, 27, 12)), retentionMs: 7 * 24 * 3600_000, batch: 1000, onPurged: (n) => purged.push(n) });
    expect(await r.runOnce()).toBe(2500);
    expect(s.calls.map((c) => c.limit)).toEqual([1000, 1000, 1000]);
    expect(s.calls[0].before.toISOString()).toBe("2026-11-20T12:00:00.000Z");
    expect(purged).toEqual([2500]);
    expect(await r.runOnce()).toBe(0);
    expect(purged).toEqual([2500]); // nothing to report when nothing went
  });

  it("sweeps at start, and a failing sweep is reported, not thrown", async () => {
    const errors: unknown[] = [];
    const store = { purgeFinished: async () => { throw new Error("store down"); } } as unknown as Store;
    const r = createRetention({ store, now: () => new Date(), retentionMs: 1000, everyMs: 60_000, onError: (e) => errors.push(e) });
    r.start();
    await new Promise((res) => setTimeout(res, 20));
    r.stop();
    expect(errors).toHaveLength(1);
  });
});
