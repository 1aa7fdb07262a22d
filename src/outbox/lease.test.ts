import { describe, expect, it } from "vitest";
import { claimsCoveredByLease, leaseProblems, sendFitsLease } from "./lease.js";

describe("lease rule", () => {
  it("covers as many rounds of full-timeout sends as fit the lease after the allowance", () => {
    expect(claimsCoveredByLease({ leaseMs: 30_000, concurrency: 64, sendTimeoutMs: 10_000 })).toBe(128);
    expect(claimsCoveredByLease({ leaseMs: 31_000, concurrency: 64, sendTimeoutMs: 10_000 })).toBe(192);
    expect(claimsCoveredByLease({ leaseMs: 10_500, concurrency: 8, sendTimeoutMs: 10_000 })).toBe(0);
  });

  it("lets a send start only if it ends, recorded, inside the lease", () => {
    expect(sendFitsLease(19_000, { leaseMs: 30_000, sendTimeoutMs: 10_000 })).toBe(true);
    expect(sendFitsLease(19_001, { leaseMs: 30_000, sendTimeoutMs: 10_000 })).toBe(false);
  });

  it("accepts the defaults and names every setting when a claim outlives its lease", () => {
    expect(leaseProblems({ leaseMs: 30_000, concurrency: 64, sendTimeoutMs: 10_000, batchSize: 128 })).toEqual([]);
    const [problem] = leaseProblems({ leaseMs: 30_000, concurrency: 64, sendTimeoutMs: 10_000, batchSize: 500 });
    for (const name of ["OUTBOX_BATCH_SIZE", "OUTBOX_CONCURRENCY", "NH_TIMEOUT_MS", "OUTBOX_LEASE_MS"]) expect(problem).toContain(name);
    expect(problem).toContain("OUTBOX_BATCH_SIZE <= 128");
    expect(problem).toContain("OUTBOX_LEASE_MS >= 81000");
  });

  it("refuses a lease shorter than one send", () => {
    const [problem] = leaseProblems({ leaseMs: 5000, concurrency: 8, sendTimeoutMs: 10_000, batchSize: 1 });
    expect(problem).toMatch(/^OUTBOX_LEASE_MS: 5000 ms does not cover one send \(NH_TIMEOUT_MS=10000/);
  });
});
