import { INSTALLATION_PLATFORMS, type BrowserChannel, type InstallationPlatform } from "../store/subscription-store.js";

/**
 * The body of `PUT /bridge/me/installations/{id}`, checked per platform. Pure: returns the
 * normalised request or the first problem, naming the field, for a 400.
 */
export interface InstallationRequest {
  targetHostName: unknown;
  platform: InstallationPlatform;
  pushChannel: string | BrowserChannel;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const INSTALLATION_ID = /^[A-Za-z0-9_.:@-]{1,128}$/;
const HEX = /^(?:[0-9a-fA-F]{2}){32,100}$/;
// FCM registration tokens are long base64url strings, usually with one ':' after the instance id.
const FCM_TOKEN = /^[A-Za-z0-9_-]+(?::[A-Za-z0-9_-]+)*$/;
const FCM_MIN = 100;
const FCM_MAX = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
const MAX_URL = 2048;
const WNS_HOST = ".notify.windows.com";
const FIELDS = ["targetHostName", "platform", "pushChannel"];

const fail = (problem: string): { ok: false; problem: string } => ({ ok: false, problem });

export function checkInstallationId(id: string): string | undefined {
  return INSTALLATION_ID.test(id) ? undefined : "'installationId' (the last path segment) must be 1-128 letters, digits or _ . : @ -.";
}

function httpsUrl(value: unknown): URL | undefined {
  if (typeof value !== "string" || value.length > MAX_URL) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.username === "" && url.password === "" ? url : undefined;
  } catch {
    return undefined;
  }
}

/** base64url (RFC 4648 §5; the padding some encoders add is tolerated) decoding to exactly `bytes`. */
function decodesTo(value: unknown, bytes: number): Buffer | undefined {
  if (typeof value !== "string" || !BASE64URL.test(value)) return undefined;
  const decoded = Buffer.from(value.replace(/=+$/, ""), "base64url");
  return decoded.length === bytes ? decoded : undefined;
}

function checkBrowser(channel: unknown): Checked<BrowserChannel> {
  if (typeof channel !== "object" || channel === null || Array.isArray(channel)) {
    return fail("'pushChannel' must be the browser's PushSubscription as {\"endpoint\", \"p256dh\", \"auth\"} for platform browser.");
  }
  const c = channel as Record<string, unknown>;
  const extra = Object.keys(c).find((k) => !["endpoint", "p256dh", "auth"].includes(k));
  if (extra !== undefined) return fail(`'pushChannel.${extra.slice(0, 64)}' is not part of a browser push channel; send endpoint, p256dh and auth.`);
  if (!httpsUrl(c.endpoint)) return fail("'pushChannel.endpoint' must be the subscription's https endpoint URL (at most 2048 characters).");
  const key = decodesTo(c.p256dh, 65);
  if (!key || key[0] !== 0x04) return fail("'pushChannel.p256dh' must be the subscription's P-256 public key: base64url of 65 bytes (an uncompressed point).");
  if (!decodesTo(c.auth, 16)) return fail("'pushChannel.auth' must be the subscription's authentication secret: base64url of 16 bytes.");
  return { ok: true, value: { endpoint: c.endpoint as string, p256dh: c.p256dh as string, auth: c.auth as string } };
}

/** The push channel rules of each platform (APNs hex token, FCM token, WNS channel URI, Web Push subscription). */
export function checkPushChannel(platform: InstallationPlatform, channel: unknown): Checked<string | BrowserChannel> {
  if (platform === "browser") return checkBrowser(channel);
  if (typeof channel !== "string") return fail(`'pushChannel' must be a string for platform ${platform}.`);
  switch (platform) {
    case "apns":
      return HEX.test(channel) ? { ok: true, value: channel.toLowerCase() } : fail("'pushChannel' must be the APNs device token in hex (64-200 hex digits, as the app got it from registerForRemoteNotifications).");
    case "fcmv1":
      return channel.length >= FCM_MIN && channel.length <= FCM_MAX && FCM_TOKEN.test(channel)
        ? { ok: true, value: channel }
        : fail(`'pushChannel' must be the FCM registration token (${FCM_MIN}-${FCM_MAX} characters of A-Z a-z 0-9 _ - :).`);
    case "wns": {
      const url = httpsUrl(channel);
      return url && url.hostname.endsWith(WNS_HOST) ? { ok: true, value: channel } : fail(`'pushChannel' must be the WNS channel URI: an https URL on *${WNS_HOST}.`);
    }
  }
}

export function checkInstallationRequest(body: unknown): Checked<InstallationRequest> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return fail("The request body must be a JSON object: {\"targetHostName\", \"platform\", \"pushChannel\"}.");
  }
  const b = body as Record<string, unknown>;
  const extra = Object.keys(b).find((k) => !FIELDS.includes(k));
  if (extra !== undefined) return fail(`'${extra.slice(0, 64)}' is not a property of an installation; send targetHostName, platform and pushChannel.`);
  const platform = typeof b.platform === "string" ? INSTALLATION_PLATFORMS.find((p) => p === (b.platform as string).toLowerCase()) : undefined;
  if (!platform) return fail(`'platform' must be one of ${INSTALLATION_PLATFORMS.join(", ")}.`);
  const channel = checkPushChannel(platform, b.pushChannel);
  if (!channel.ok) return channel;
  return { ok: true, value: { targetHostName: b.targetHostName, platform, pushChannel: channel.value } };
}
