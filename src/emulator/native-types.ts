import type { InstallationPlatform } from "./model.js";

/** `ServiceBusNotification-Format` values the emulator delivers. */
export type SendFormat = "apple" | "fcmv1" | "windows" | "browser";

export const SEND_FORMATS: readonly SendFormat[] = ["apple", "fcmv1", "windows", "browser"];

export const PLATFORM_OF_FORMAT: Record<SendFormat, InstallationPlatform> = {
  apple: "apns",
  fcmv1: "fcmv1",
  windows: "wns",
  browser: "browser",
};

/** One native notification as a send carries it, before NH hands it to the platform. */
export interface NativeNotification {
  format: SendFormat;
  contentType: string;
  /** Native headers only (apns-*, x-wns-*, ttl...), names lower-cased. */
  headers: Record<string, string>;
  body: string;
}

/** NH per-platform outcome names used when a payload is refused. */
export type RejectionOutcome = "InvalidNotificationFormat" | "InvalidNotificationSize";

export interface PayloadProblem {
  outcome: RejectionOutcome;
  message: string;
}

export const formatProblem = (message: string): PayloadProblem => ({ outcome: "InvalidNotificationFormat", message });
export const sizeProblem = (what: string, bytes: number, limit: number): PayloadProblem => ({
  outcome: "InvalidNotificationSize",
  message: `${what} payload is ${bytes} bytes; the limit is ${limit} bytes`,
});

export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

export function mediaTypeOf(contentType: string): string {
  return contentType.split(";")[0].trim().toLowerCase();
}

export function parseJsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
