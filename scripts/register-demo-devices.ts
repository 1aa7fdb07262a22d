/**
 * Registers four demo installations (iOS, Android, Windows, browser) for one user, with the real
 * Notification Hubs SDK, so a legacy notification sent to the bridge has devices to reach.
 *
 *   npx tsx scripts/register-demo-devices.ts --user demo-user [--hub bridge] [--connection-string "..."]
 *
 * Defaults target the embedded emulator (EMULATOR_PORT, EMULATOR_ACCESS_KEY).
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import type { Installation } from "@azure/notification-hubs";
import { createHubClient, endpointIsHttp } from "../src/delivery/hubs/hub-client.js";
import { encodeUserIdForTag } from "../src/delivery/hubs/targeting.js";
import { DEFAULT_FULL_KEY, FULL_KEY_NAME } from "../src/emulator/keys.js";

const { values } = parseArgs({
  options: {
    user: { type: "string", default: "demo-user" },
    hub: { type: "string", default: process.env.NOTIFICATION_HUB_NAME ?? "bridge" },
    "connection-string": { type: "string" },
  },
});
const port = process.env.EMULATOR_PORT ?? "10110";
const connectionString =
  values["connection-string"] ??
  `Endpoint=http://127.0.0.1:${port}/;SharedAccessKeyName=${FULL_KEY_NAME};SharedAccessKey=${process.env.EMULATOR_ACCESS_KEY ?? DEFAULT_FULL_KEY}`;

const user = values.user!;
const userId = encodeUserIdForTag(user);
const seed = createHash("sha256").update(user).digest("hex");
const client = createHubClient({ connectionString, hubName: values.hub!, allowInsecureHttp: endpointIsHttp(connectionString) });

const devices: Installation[] = [
  { installationId: `${userId}-iphone`, platform: "apns", pushChannel: seed.slice(0, 64), userId, tags: ["demo"] },
  { installationId: `${userId}-pixel`, platform: "fcmv1", pushChannel: `fcm-token-${seed.slice(0, 40)}`, userId, tags: ["demo"] },
  { installationId: `${userId}-surface`, platform: "wns", pushChannel: `https://db5.notify.windows.com/?token=${seed.slice(0, 32)}`, userId, tags: ["demo"] },
  {
    installationId: `${userId}-edge`, platform: "browser", userId, tags: ["demo"],
    pushChannel: { endpoint: `https://wns2-db5p.notify.windows.com/w/?token=${seed.slice(0, 32)}`, p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", auth: "tBHItJI5svbpez7KI4CCXg" },
  },
];

for (const d of devices) {
  await client.createOrUpdateInstallation(d);
  console.log(`registered ${d.platform.padEnd(7)} ${d.installationId}  (userId ${userId})`);
}
console.log(`\nSend to them with the header  X-UNS-ID: ${user}`);
