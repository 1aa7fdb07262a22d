import { createClientContext } from "@azure/notification-hubs/api";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cacheSasTokens, sasTokenExpiry } from "./sas-token-cache.js";

const CS = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Full;SharedAccessKey=a2V5";

describe("cacheSasTokens (over the SDK's public client context)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("reuses a token while it has more than five minutes left, then signs a new one", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const inner = createClientContext(CS, "hub");
    const signing = vi.spyOn(inner, "createHeaders");
    const context = cacheSasTokens(inner);
    const first = (await context.createHeaders("sendNotification")).get("authorization");
    expect(first).toMatch(/^SharedAccessSignature sr=.+&sig=.+&se=\d+&skn=Full$/);
    vi.setSystemTime(new Date("2026-01-01T00:50:00Z")); // 10 minutes left
    expect((await context.createHeaders("sendNotification")).get("authorization")).toBe(first);
    expect(signing).toHaveBeenCalledTimes(1);
    vi.setSystemTime(new Date("2026-01-01T00:56:00Z")); // 4 minutes left: a new token is signed
    const second = (await context.createHeaders("sendNotification")).get("authorization");
    expect(second).not.toBe(first);
    expect(sasTokenExpiry(second)).toBe(Date.parse("2026-01-01T01:56:00Z") / 1000);
    expect(signing).toHaveBeenCalledTimes(2);
  });

  it("gives each call its own headers: the request's, plus the SDK's version and telemetry per operation", async () => {
    const context = cacheSasTokens(createClientContext(CS, "hub"));
    const a = await context.createHeaders("sendNotification", { ServiceBusNotification_Tags: "x" });
    a.set("ServiceBusNotification-Format", "gcm");
    const b = await context.createHeaders("getInstallation");
    expect(a.get("servicebusnotification_tags")).toBe("x");
    expect(b.has("servicebusnotification-format")).toBe(false);
    expect(b.get("x-ms-version")).toBe("2020-06");
    expect(b.get("x-ms-azsdk-telemetry")).toContain("method=getInstallation");
  });

  it("signs every time when the token's expiry cannot be read", () => {
    expect(sasTokenExpiry("SharedAccessSignature sr=a&sig=b&skn=c")).toBe(0);
    expect(sasTokenExpiry(undefined)).toBe(0);
    expect(sasTokenExpiry("SharedAccessSignature sr=a&sig=b&se=1700000000&skn=c")).toBe(1_700_000_000);
  });
});
