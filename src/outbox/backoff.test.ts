import { describe, expect, it } from "vitest";
import { nextAttemptDelay } from "./backoff.js";

const base = { baseMs: 1000, maxMs: 60_000 };

describe("nextAttemptDelay", () => {
  it("uses Retry-After exactly, ignoring jitter and the cap", () => {
    expect(nextAttemptDelay({ ...base, attempt: 1, retryAfterMs: 7000, random: () => 0.1 })).toBe(7000);
    expect(nextAttemptDelay({ ...base, attempt: 9, retryAfterMs: 120_000, random: () => 0.5 })).toBe(120_000);
  });

  it("treats Retry-After 0 as 'now', not as absent", () => {
    expect(nextAttemptDelay({ ...base, attempt: 3, retryAfterMs: 0, random: () => 0.9 })).toBe(0);
  });

  it("clamps a negative Retry-After to 0", () => {
    expect(nextAttemptDelay({ ...base, attempt: 1, retryAfterMs: -5, random: () => 0.5 })).toBe(0);
  });

  it("doubles the ceiling per attempt", () => {
    const top = (attempt: number) => nextAttemptDelay({ ...base, attempt, random: () => 1 });
    expect([1, 2, 3, 4, 5].map(top)).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it("caps the ceiling at maxMs, even for huge attempt numbers", () => {
    expect(nextAttemptDelay({ ...base, attempt: 7, random: () => 1 })).toBe(60_000);
    expect(nextAttemptDelay({ ...base, attempt: 5000, random: () => 1 })).toBe(60_000);
  });

  it("applies full jitter: uniform between 0 and the ceiling", () => {
    expect(nextAttemptDelay({ ...base, attempt: 3, random: () => 0 })).toBe(0);
    expect(nextAttemptDelay({ ...base, attempt: 3, random: () => 0.25 })).toBe(1000);
    expect(nextAttemptDelay({ ...base, attempt: 3, random: () => 0.5 })).toBe(2000);
  });

  it("treats attempt 0 like attempt 1", () => {
    expect(nextAttemptDelay({ ...base, attempt: 0, random: () => 1 })).toBe(1000);
  });
});
