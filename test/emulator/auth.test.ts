import { createAppleNotification, createFcmV1Installation, NotificationHubsClient } from "@azure/notification-hubs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emulatorClientOptions } from "../../src/emulator/client-options.js";
import { DEFAULT_FULL_KEY, FULL_KEY_NAME } from "../../src/emulator/keys.js";
import type { RunningEmulator } from "../../src/emulator/server.js";
import { errorOf, FCM_TOKEN, sdkClient, startTestEmulator } from "./nh-fixtures.js";

const alert = createAppleNotification({ body: { aps: { alert: "hi" } } });

function clientWith(connectionString: string, hub = "hub-auth"): NotificationHubsClient {
  return new NotificationHubsClient(connectionString, hub, emulatorClientOptions({ retryOptions: { maxRetries: 0 } }));
}

describe("SAS authentication through the real SDK", () => {
  let running: RunningEmulator;
  beforeAll(async () => {
    running = await startTestEmulator({ accessKey: "my-own-key" });
  });
  afterAll(() => running.close());

  it("accepts the configured full key", async () => {
    await clientWith(running.connectionString()).createOrUpdateInstallation(createFcmV1Installation({ installationId: "a", pushChannel: FCM_TOKEN }));
  });

  it("refuses a wrong key with 401 and NH's XML error", async () => {
    const cs = `Endpoint=${running.url}/;SharedAccessKeyName=${FULL_KEY_NAME};SharedAccessKey=${DEFAULT_FULL_KEY}`;
    const error = await errorOf(clientWith(cs).sendBroadcastNotification(alert));
    expect(error.statusCode).toBe(401);
    expect(error.message).toMatch(/InvalidSignature/);
  });

  it("refuses an unknown key name with 401", async () => {
    const cs = `Endpoint=${running.url}/;SharedAccessKeyName=SomeoneElse;SharedAccessKey=my-own-key`;
    expect((await errorOf(clientWith(cs).getInstallation("a"))).statusCode).toBe(401);
  });

  it("refuses a token signed for another host with 401", async () => {
    const cs = `Endpoint=${running.url.replace("127.0.0.1", "localhost")}/;SharedAccessKeyName=${FULL_KEY_NAME};SharedAccessKey=my-own-key`;
    // The SDK signs `localhost` but the request is sent to 127.0.0.1 by rewriting its URL.
    const client = new NotificationHubsClient(cs, "hub-auth", emulatorClientOptions({
      retryOptions: { maxRetries: 0 },
      additionalPolicies: [{ position: "perCall", policy: { name: "retarget", sendRequest: (r, next) => next(Object.assign(r, { url: r.url.replace("localhost", "127.0.0.1") })) } }],
    }));
    const error = await errorOf(client.getInstallation("a"));
    expect(error.statusCode).toBe(401);
    expect(error.message).toMatch(/InvalidAudience/);
  });

  it("lets the listen key read installations but not send", async () => {
    const listen = sdkClient(running, "hub-auth", "listen");
    expect((await listen.getInstallation("a")).installationId).toBe("a");
    const error = await errorOf(listen.sendBroadcastNotification(alert));
    expect(error.statusCode).toBe(401);
    expect(error.message).toMatch(/lacks the Send right/);
    expect((await errorOf(listen.getNotificationOutcomeDetails("x"))).statusCode).toBe(401);
  });

  it("refuses a request without Authorization and an expired token", async () => {
    const missing = await fetch(`${running.url}/hub-auth/installations/a?api-version=2020-06`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("content-type")).toMatch(/application\/xml/);
    expect(await missing.text()).toMatch(/^<Error><Code>401<\/Code><Detail>Unauthorized: MissingToken.*TrackingId:.*<\/Detail><\/Error>$/);

    const sr = encodeURIComponent(`${running.url}/`.toLowerCase());
    const expired = await fetch(`${running.url}/hub-auth/installations/a?api-version=2020-06`, {
      headers: { Authorization: `SharedAccessSignature sr=${sr}&sig=abc&se=1000&skn=${FULL_KEY_NAME}` },
    });
    expect(expired.status).toBe(401);
    expect(await expired.text()).toMatch(/ExpiredToken/);
  });
});
