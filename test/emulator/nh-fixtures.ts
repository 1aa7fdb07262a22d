import { NotificationHubsClient } from "@azure/notification-hubs";
import { emulatorClientOptions } from "../../src/emulator/client-options.js";
import type { KeyKind } from "../../src/emulator/keys.js";
import { type RunningEmulator, startEmulator, type StartEmulatorOptions } from "../../src/emulator/server.js";

/** A settable clock for scheduled sends. */
export class TestClock {
  constructor(public current = new Date("2025-06-01T10:00:00.000Z")) {}
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export async function startTestEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, ...options });
}

/** The real SDK client against the emulator: no retries, plain HTTP allowed. */
export function sdkClient(running: RunningEmulator, hub: string, keyName: KeyKind = "full"): NotificationHubsClient {
  return new NotificationHubsClient(running.connectionString(keyName), hub, emulatorClientOptions({ retryOptions: { maxRetries: 0 } }));
}

export const APNS_TOKEN = "a".repeat(64);
export const FCM_TOKEN = "fcm-token-1";
export const WNS_CHANNEL = "https://db5p.notify.windows.com/?token=AwYAAAB";
export const BROWSER_CHANNEL = {
  endpoint: "https://fcm.googleapis.com/fcm/send/abc:def",
  p256dh: "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4",
  auth: "BTBZMqHH6r4Tts7J_aSIgg",
};

export const TOAST_XML = '<toast><visual><binding template="ToastGeneric"><text>Hi</text><text>There</text></binding></visual></toast>';

/** The HTTP status of a rejected SDK call. */
export async function statusOf(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
    return undefined;
  } catch (e) {
    return (e as { statusCode?: number }).statusCode;
  }
}

/** The rejection of an SDK call, for asserting on its message and response. */
export async function errorOf(call: Promise<unknown>): Promise<{ statusCode?: number; message: string; response?: { headers: { get(n: string): string | undefined } } }> {
  try {
    await call;
  } catch (e) {
    return e as { statusCode?: number; message: string };
  }
  throw new Error("expected the call to fail");
}
