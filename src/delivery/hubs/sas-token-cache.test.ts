import { NotificationHubsClient } from "@azure/notification-hubs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cacheSasTokens } from "./sas-token-cache.js";

const CS = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Full;SharedAccessKey=a2V5";
const AUDIENCE = "https://ns.servicebus.windows.net/";
const credentialOf = (c: NotificationHubsClient) =>
  (c as unknown as { _client: { sasTokenCredential: { getToken(s: string): Promise<{ token: string; expiresOnTimestamp: number }> } } })._client.sasTokenCredential;

describe("cacheSasTokens", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("finds the SDK's credential and reuses a token while it has more than five minutes left", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const client = new NotificationHubsClient(CS, "hub");
    expect(cacheSasTokens(client)).toBe(true);
    const cred = credentialOf(client);
    const first = await cred.getToken(AUDIENCE);
    expect(first.token).toMatch(/^SharedAccessSignature sr=.+&sig=.+&se=\d+&skn=Full$/);
    vi.setSystemTime(new Date("2026-01-01T00:50:00Z")); // 10 minutes left
    expect((await cred.getToken(AUDIENCE)).token).toBe(first.token);
    vi.setSystemTime(new Date("2026-01-01T00:56:00Z")); // 4 minutes left: a new token is signed
    const second = await cred.getToken(AUDIENCE);
    expect(second.token).not.toBe(first.token);
    expect(second.expiresOnTimestamp).toBe(Date.parse("2026-01-01T01:56:00Z") / 1000);
  });

  it("leaves an object without the expected shape alone", () => {
    expect(cacheSasTokens({} as NotificationHubsClient)).toBe(false);
  });
});
