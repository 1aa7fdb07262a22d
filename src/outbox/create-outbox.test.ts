import { pino } from "pino";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { logAttempt } from "./create-outbox.js";
import type { AttemptEvent } from "./worker.js";

function capture(level: string): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
  return { logger: pino({ level }, stream), lines };
}

const attempt = (outcome: AttemptEvent["outcome"]): AttemptEvent =>
  ({ deliveryId: "d1", notificationId: "n1", platform: "windows", outcome, latencyMs: 3, attempt: 2, ...(outcome === "retry" ? { nextAttemptAt: new Date(0), status: 503 } : {}) });

describe("logAttempt", () => {
  it("logs a sent delivery at info, a retry at warn and a dead letter at error", async () => {
    const { logger, lines } = capture("info");
    for (const o of ["sent", "retry", "dead-lettered"] as const) logAttempt(logger, attempt(o));
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.level, l.outcome, l.msg])).toEqual([[30, "sent", "delivery attempt"], [40, "retry", "delivery attempt"], [50, "dead-lettered", "delivery attempt"]]);
    expect(lines[1]).toMatchObject({ deliveryId: "d1", status: 503, nextAttemptAt: "1970-01-01T00:00:00.000Z" });
  });

  it("writes only the attempts its level lets through", async () => {
    const { logger, lines } = capture("warn");
    for (const o of ["sent", "cancelled", "retry", "dead-lettered"] as const) logAttempt(logger, attempt(o));
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => l.outcome)).toEqual(["retry", "dead-lettered"]);
  });
});
