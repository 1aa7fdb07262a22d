import { describe, expect, it } from "vitest";
import { formatTraceparent, parseTraceparent } from "./traceparent.js";

const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
const spanId = "00f067aa0ba902b7";

describe("traceparent", () => {
  it("round-trips a sampled span context", () => {
    const value = `00-${traceId}-${spanId}-01`;
    const sc = parseTraceparent(value);
    expect(sc).toEqual({ traceId, spanId, traceFlags: 1, isRemote: true });
    expect(formatTraceparent(sc!)).toBe(value);
  });

  it("formats unsampled flags with two hex digits", () => {
    expect(formatTraceparent({ traceId, spanId, traceFlags: 0 })).toBe(`00-${traceId}-${spanId}-00`);
  });

  it.each([
    ["undefined", undefined],
    ["empty", ""],
    ["all-zero trace id", `00-${"0".repeat(32)}-${spanId}-01`],
    ["all-zero span id", `00-${traceId}-${"0".repeat(16)}-01`],
    ["version ff", `ff-${traceId}-${spanId}-01`],
    ["extra field on version 00", `00-${traceId}-${spanId}-01-extra`],
    ["upper-case hex", `00-${traceId.toUpperCase()}-${spanId}-01`],
    ["short span id", `00-${traceId}-00f067aa-01`],
  ])("rejects %s", (_label, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it("accepts future versions with extra fields", () => {
    expect(parseTraceparent(`01-${traceId}-${spanId}-01-what-ever`)?.traceId).toBe(traceId);
  });
});
