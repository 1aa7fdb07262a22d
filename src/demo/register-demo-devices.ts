/**
 * Registers four demo installations (iOS, Android, Windows, browser) for one user, with the real
 * Notification Hubs SDK, so a legacy notification sent to the bridge has devices to reach. After
 * `npm start` (which builds dist/), the console prints the exact command for its emulator:
 *
 *   node dist/src/demo/register-demo-devices.js --user demo-user [--hub bridge] [--connection-string "..."]
 *
 * Without --connection-string it targets an emulator on 127.0.0.1:EMULATOR_PORT (default 10110).
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { Installation } from "@azure/notification-hubs";
import { createHubClient, endpointIsHttp } from "../delivery/hubs/hub-client.js";
import { encodeUserIdForTag } from "../delivery/hubs/targeting.js";
import { DEFAULT_FULL_KEY, FULL_KEY_NAME } from "../emulator/keys.js";

export interface DemoDevicesTarget {
  user: string;
  hub: string;
  connectionString: string;
}

/** The command line (and, for what it leaves out, the environment) read the way the CLI reads them. */
export function parseDemoArgs(argv: string[], env: Record<string, string | undefined>): DemoDevicesTarget {
  const { values } = parseArgs({
    args: argv,
    options: { user: { type: "string", default: "demo-user" }, hub: { type: "string" }, "connection-string": { type: "string" } },
  });
  const key = env.EMULATOR_ACCESS_KEY || DEFAULT_FULL_KEY;
  return {
    user: values.user!,
    hub: values.hub ?? env.NOTIFICATION_HUB_NAME ?? "bridge",
    connectionString: values["connection-string"] ?? `Endpoint=http://127.0.0.1:${env.EMULATOR_PORT || "10110"}/;SharedAccessKeyName=${FULL_KEY_NAME};SharedAccessKey=${key}`,
  };
}

/** Registers the user's four demo devices; resolves with their installation ids. */
export async function registerDemoDevices(t: DemoDevicesTarget): Promise<Installation[]> {
  const userId = encodeUserIdForTag(t.user);
  const seed = createHash("sha256").update(t.user).digest("hex");
  const client = createHubClient({ connectionString: t.connectionString, hubName: t.hub, allowInsecureHttp: endpointIsHttp(t.connectionString) });
  const devices: Installation[] = [
    { installationId: `${userId}-iphone`, platform: "apns", pushChannel: seed.slice(0, 64), userId, tags: ["demo"] },
    { installationId: `${userId}-pixel`, platform: "fcmv1", pushChannel: `fcm-token-${seed.slice(0, 40)}`, userId, tags: ["demo"] },
    { installationId: `${userId}-surface`, platform: "wns", pushChannel: `https://db5.notify.windows.com/?token=${seed.slice(0, 32)}`, userId, tags: ["demo"] },
    {
      installationId: `${userId}-edge`, platform: "browser", userId, tags: ["demo"],
      pushChannel: { endpoint: `https://wns2-db5p.notify.windows.com/w/?token=${seed.slice(0, 32)}`, p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", auth: "tBHItJI5svbpez7KI4CCXg" },
    },
  ];
  for (const d of devices) await client.createOrUpdateInstallation(d);
  return devices;
}

async function main(): Promise<void> {
  const target = parseDemoArgs(process.argv.slice(2), process.env);
  for (const d of await registerDemoDevices(target)) console.log(`registered ${d.platform.padEnd(7)} ${d.installationId}  (userId ${d.userId})`);
  console.log(`\nSend to them with the header  X-UNS-ID: ${target.user}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(`register-demo-devices: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
