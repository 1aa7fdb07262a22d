/** The compiled demo-devices command (`npm start` builds dist/ first). */
export const DEMO_DEVICES_SCRIPT = "dist/src/demo/register-demo-devices.js";

/**
 * What `npm start` prints on the embedded default: a first notification end to end, by hand. The
 * commands carry this bridge's emulator address and hub, so they work from any shell whatever
 * EMULATOR_PORT and NOTIFICATION_HUB_NAME were.
 */
export function printWelcome(o: { bridgeUrl: string; emulatorUrl: string; hub: string; connectionString: string }): void {
  const body = JSON.stringify({
    targetHostName: "notify.contoso.com",
    appNotificationId: "hello-1",
    payload: { visualContent: { title: "Hello from the bridge", body: "Your first legacy notification" } },
    priority: "High",
  });
  console.log(`
graph-notifications-bridge is running on its embedded defaults (no real hub: an in-process emulator).

  Bridge:             ${o.bridgeUrl}   (POST /beta/me/notifications, as Graph had it)
  Emulator (NH API):  ${o.emulatorUrl}   hub "${o.hub}"
  Watch deliveries:   ${o.emulatorUrl}/_emulator/

1. Register four demo devices (iOS, Android, Windows, browser) for the user "demo-user" through
   the bridge's client API, as real apps do, and keep the subscription id the bridge gives them:
     UNS_ID=$(node ${DEMO_DEVICES_SCRIPT} --user demo-user --bridge ${o.bridgeUrl} --id-only)

2. Send a first legacy notification to that id, exactly as a legacy app service would:
     curl -i -X POST ${o.bridgeUrl}/beta/me/notifications \\
       -H 'Content-Type: application/json' -H "X-UNS-ID: $UNS_ID" \\
       -d '${body}'

3. Watch it arrive, rendered per platform: ${o.emulatorUrl}/_emulator/
   or as JSON: curl ${o.emulatorUrl}/_emulator/deliveries

Emulator connection string (for the SDK or your own tools; apps register through the bridge):
  ${o.connectionString}
`);
}
