/**
 * Registers four demo devices (iOS, Android, Windows, browser) for one user through the bridge's
 * client API, as real apps do: POST /bridge/me/subscriptions for the user's subscription id, then
 * PUT /bridge/me/installations/{id} per device. After `npm start` (which builds dist/), the
 * console prints the exact command for its bridge:
 *
 *   node dist/src/demo/register-demo-devices.js --user demo-user [--bridge http://127.0.0.1:8080]
 *     [--host notify.contoso.com] [--token <delegated Entra token, with AUTH_MODE=entra>] [--id-only]
 *
 * With AUTH_MODE=none (the local default) the X-Bridge-User header names the user.
 */
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

export interface DemoDevicesOptions {
  bridgeUrl: string;
  /** With AUTH_MODE=none: the X-Bridge-User value. Ignored when `token` is given. */
  user: string;
  targetHostName: string;
  /** A delegated Entra token (AUTH_MODE=entra). */
  token?: string;
  fetch?: typeof fetch;
}

export interface DemoDevices {
  subscriptionId: string;
  installations: Array<{ id: string; platform: string }>;
}

/** Channels shaped like real ones (the API checks them per platform), stable per user. */
export function demoChannels(user: string) {
  const seed = createHash("sha256").update(user).digest();
  return {
    apns: seed.toString("hex"),
    fcmv1: `${seed.subarray(0, 8).toString("base64url")}:APA91b${Buffer.concat([seed, seed, seed, seed]).toString("base64url")}`,
    wns: `https://db5.notify.windows.com/?token=${seed.subarray(0, 16).toString("base64url")}`,
    browser: {
      endpoint: `https://wns2-db5p.notify.windows.com/w/?token=${seed.subarray(0, 16).toString("base64url")}`,
      p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
      auth: "tBHItJI5svbpez7KI4CCXg",
    },
  };
}

const DEVICES = [["iphone", "apns"], ["pixel", "fcmv1"], ["surface", "wns"], ["edge", "browser"]] as const;

export async function registerDemoDevices(o: DemoDevicesOptions): Promise<DemoDevices> {
  const doFetch = o.fetch ?? fetch;
  const headers: Record<string, string> = { "Content-Type": "application/json", ...(o.token ? { Authorization: `Bearer ${o.token}` } : { "X-Bridge-User": o.user }) };
  const call = async (method: string, path: string, body: unknown) => {
    const r = await doFetch(`${o.bridgeUrl}${path}`, { method, headers, body: JSON.stringify(body) });
    const json = (await r.json()) as Record<string, unknown> & { error?: { message?: string } };
    if (!r.ok) throw new Error(`${method} ${path} answered ${r.status}: ${json.error?.message ?? JSON.stringify(json)}`);
    return json;
  };
  const subscription = await call("POST", "/bridge/me/subscriptions", { targetHostName: o.targetHostName });
  const channels = demoChannels(o.user);
  const prefix = o.user.replace(/[^A-Za-z0-9_.:@-]/g, "-").slice(0, 100);
  const installations = [];
  for (const [device, platform] of DEVICES) {
    const id = `${prefix}-${device}`;
    await call("PUT", `/bridge/me/installations/${encodeURIComponent(id)}`, { targetHostName: o.targetHostName, platform, pushChannel: channels[platform] });
    installations.push({ id, platform });
  }
  return { subscriptionId: String(subscription.id), installations };
}

/** The command line (and, for what it leaves out, the environment) read the way the CLI reads them. */
export function parseDemoArgs(argv: string[], env: Record<string, string | undefined>): DemoDevicesOptions & { idOnly: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      user: { type: "string", default: "demo-user" },
      bridge: { type: "string" },
      host: { type: "string", default: "notify.contoso.com" },
      token: { type: "string" },
      "id-only": { type: "boolean", default: false },
    },
  });
  return {
    user: values.user!,
    bridgeUrl: (values.bridge ?? `http://127.0.0.1:${env.PORT || "8080"}`).replace(/\/$/, ""),
    targetHostName: values.host!,
    token: values.token,
    idOnly: values["id-only"]!,
  };
}

async function main(): Promise<void> {
  const o = parseDemoArgs(process.argv.slice(2), process.env);
  const result = await registerDemoDevices(o);
  if (o.idOnly) return void console.log(result.subscriptionId);
  for (const i of result.installations) console.log(`registered ${i.platform.padEnd(7)} ${i.id}`);
  console.log(`\nSubscription id of ${o.user} for ${o.targetHostName} (send it as X-UNS-ID): ${result.subscriptionId}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(`register-demo-devices: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
