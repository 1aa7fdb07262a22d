import { describe, expect, it } from "vitest";
import { FCM_MAX_TTL_SECONDS, formatFcmTtl, formatW3cDateTime, secondsUntil } from "./expiry.js";

const now = new Date("2030-01-01T00:00:00.000Z");
const at = (ms: number) => new Date(now.getTime() + ms);

describe("expiry helpers", () => {
  it("counts whole seconds, rounding down", () => expect(secondsUntil(at(90_999), now)).toBe(90));
  it("never goes negative", () => expect(secondsUntil(at(-5_000), now)).toBe(0));
  it("formats a W3C date-time without fractions", () => expect(formatW3cDateTime(new Date("2019-10-30T23:59:00.123Z"))).toBe("2019-10-30T23:59:00Z"));
  it("writes FCM ttl as a Duration string", () => expect(formatFcmTtl(at(3_600_000), now)).toBe("3600s"));
  it("clamps FCM ttl to 28 days", () => {
    expect(formatFcmTtl(at(30 * 86_400_000), now)).toBe(`${FCM_MAX_TTL_SECONDS}s`);
    expect(FCM_MAX_TTL_SECONDS).toBe(28 * 86_400);
  });
});
