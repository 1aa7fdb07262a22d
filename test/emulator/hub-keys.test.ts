import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHubClient } from "../../src/delivery/hubs/hub-client.js";
import { startEmulator, type RunningEmulator } from "../../src/emulator/server.js";

/** One emulator acting as several hubs, two of them with keys (connection strings) of their own. */
describe("hubs with keys of their own", () => {
  let emulator: RunningEmulator;
  const client = (connectionString: string, hubName: string) => createHubClient({ connectionString, hubName, allowInsecureHttp: true });
  const register = (connectionString: string, hubName: string) =>
    client(connectionString, hubName).createOrUpdateInstallation({ installationId: "i-1", platform: "fcmv1", pushChannel: "token", userId: "u" });

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, hubKeys: { "hub-a": "a2V5LWZvci1odWItYQ==", "hub-b": "a2V5LWZvci1odWItYg==" } });
  });
  afterAll(() => emulator.close());

  it("gives each such hub its own connection string, accepted by that hub only", async () => {
    const [a, b, shared] = [emulator.connectionString("full", "hub-a"), emulator.connectionString("full", "hub-b"), emulator.connectionString()];
    expect(new Set([a, b, shared]).size).toBe(3);
    await register(a, "hub-a");
    await register(b, "hub-b");
    await expect(register(b, "hub-a")).rejects.toMatchObject({ statusCode: 401 });
    await expect(register(shared, "hub-a")).rejects.toMatchObject({ statusCode: 401 });
    await expect(register(a, "other-hub")).rejects.toMatchObject({ statusCode: 401 });
    await register(shared, "other-hub");
  });

  it("keeps each hub's installations apart", () => {
    const hubs = emulator.emulator.view.listInstallations().map((i) => i.hub).sort();
    expect(hubs).toEqual(["hub-a", "hub-b", "other-hub"]);
  });
});
