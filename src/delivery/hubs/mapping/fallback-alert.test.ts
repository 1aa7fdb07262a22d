import { describe, expect, it } from "vitest";
import type { NativeSend } from "../../native-send.js";
import { describeFallbackAlert } from "./fallback-alert.js";

const T0 = new Date("2026-12-01T10:00:00.000Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const fallback = { delaySeconds: 60, visual: { title: "New message" } };
const send = (o: Partial<NativeSend>) => ({ platform: "ios" as const, purpose: "primary" as const, headers: {}, ...o });
const background = send({ headers: { "apns-push-type": "background" } });

describe("describeFallbackAlert", () => {
  it("is null without a fallbackPolicy or without an iOS send", () => {
    expect(describeFallbackAlert({ createdAt: T0, expiresAt: at(3600) }, [background])).toBeNull();
    expect(describeFallbackAlert({ fallback, createdAt: T0, expiresAt: at(3600) }, [send({ platform: "android" })])).toBeNull();
  });

  it("reports a deferred alert as scheduled at its due time", () => {
    const alert = send({ purpose: "ios-fallback-alert", headers: { "apns-push-type": "alert" }, scheduledAt: at(60).toISOString() });
    expect(describeFallbackAlert({ fallback, createdAt: T0, expiresAt: at(3600) }, [background, alert])).toEqual({ state: "scheduled", dueDateTime: at(60).toISOString() });
  });

  it("reports an alert sent at once (immediate mode)", () => {
    expect(describeFallbackAlert({ fallback, createdAt: T0, expiresAt: at(30) }, [send({ headers: { "apns-push-type": "alert" } })])).toMatchObject({ state: "immediate" });
  });

  it("reports a dropped alert, with when it would have fallen due and the expiry, when only the background push is planned", () => {
    expect(describeFallbackAlert({ fallback, createdAt: T0, expiresAt: at(60) }, [background])).toEqual({
      state: "dropped",
      dueDateTime: at(60).toISOString(),
      expirationDateTime: at(60).toISOString(),
      reason: expect.stringContaining("never sent"),
    });
  });
});
