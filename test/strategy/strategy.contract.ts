import { describe, expect, it } from "vitest";
import type { DeliveryStrategy, SubmitContext } from "../../src/delivery/strategy.js";
import { validateLegacyNotification } from "../../src/legacy/request-schema.js";
import { RECORDED_NOW, RECORDED_RAW, RECORDED_VISUAL } from "../support/test-app.js";

export interface StrategyHarness {
  strategy: DeliveryStrategy;
  /** Makes the upstream (NH, Graph) unreachable or healthy again. */
  setUpstreamDown(down: boolean): Promise<void> | void;
  /** How many upstream calls (sends, forwards) happened so far. */
  upstreamCalls(): number;
  /** Lets the implementation finish delivering (e.g. runs the outbox once). */
  settle?(): Promise<void>;
}

function context(unsId: string): SubmitContext {
  return { unsId, requestId: "00000000-0000-4000-8000-000000000001", clientRequestId: "c-1", baseUrl: "https://bridge.test", caller: { kind: "anonymous" }, rawBody: RECORDED_RAW, callerToken: "caller-token" };
}

function legacy(body: object) {
  const r = validateLegacyNotification(body, RECORDED_NOW);
  if (!r.ok) throw new Error("fixture is invalid");
  return r.value;
}

/**
 * What every DeliveryStrategy promises, whatever it delivers through. Known gaps: none; the graph
 * strategy's 201 body is Graph's own, so the suite asserts the shape, not our field values.
 */
export function describeStrategyContract(name: string, make: () => Promise<StrategyHarness & { close(): Promise<void> }>) {
  describe(`DeliveryStrategy contract: ${name}`, () => {
    it("answers a Graph-shaped 201 with an id and a Location on /beta/me/activities/{id}", async () => {
      const h = await make();
      try {
        for (const body of [RECORDED_RAW, RECORDED_VISUAL]) {
          const a = await h.strategy.submit(legacy(body), { ...context("contract-user"), rawBody: body });
          expect(a.status).toBe(201);
          const parsed = Buffer.isBuffer(a.body) ? JSON.parse(a.body.toString("utf8")) : (a.body as Record<string, unknown>);
          expect(parsed.id).toMatch(/^[0-9a-f-]{36}$/);
          const location = Object.entries(a.headers).find(([k]) => k.toLowerCase() === "location")?.[1];
          expect(location).toMatch(new RegExp(`/beta/me/activities/${parsed.id}$`));
        }
        await h.settle?.();
        expect(h.upstreamCalls()).toBeGreaterThan(0);
      } finally {
        await h.close();
      }
    });

    it("is ready when the upstream answers and not ready when it does not", async () => {
      const h = await make();
      try {
        await expect(h.strategy.checkReady()).resolves.toBeUndefined();
        await h.setUpstreamDown(true);
        await expect(h.strategy.checkReady()).rejects.toBeDefined();
        await h.setUpstreamDown(false);
        await expect(h.strategy.checkReady()).resolves.toBeUndefined();
      } finally {
        await h.close();
      }
    });
  });
}
