import type { BrowserPushChannel, EmulatorInstallation, InstallationPlatform } from "./model.js";
import { isPlainObject } from "./native-types.js";
import { findTagListProblem } from "./tags.js";

/**
 * Installation validation (learn.microsoft.com/rest/api/notificationhubs/create-overwrite-installation).
 * Pure: returns the stored shape or a message saying what is wrong.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** Installations never expire unless NH is told otherwise. */
export const NEVER_EXPIRES = "9999-12-31T23:59:59.999Z";

const PLATFORMS: readonly InstallationPlatform[] = ["apns", "fcmv1", "gcm", "wns", "browser", "adm", "xiaomi"];
const USER_ID = /^[A-Za-z0-9\-_@#.:=\\]{1,256}$/;
const BASE64URL = /^[A-Za-z0-9+/_=-]+$/;

function isHttpsUrl(text: unknown): boolean {
  if (typeof text !== "string") return false;
  try {
    return new URL(text).protocol === "https:";
  } catch {
    return false;
  }
}

export function findPushChannelProblem(platform: InstallationPlatform, channel: unknown): string | undefined {
  if (platform === "browser") {
    if (!isPlainObject(channel)) return "a browser pushChannel must be an object {endpoint, p256dh, auth}";
    if (!isHttpsUrl(channel.endpoint)) return "pushChannel.endpoint must be an https URL";
    for (const key of ["p256dh", "auth"]) {
      const value = channel[key];
      if (typeof value !== "string" || !BASE64URL.test(value)) return `pushChannel.${key} must be a base64url string`;
    }
    return undefined;
  }
  if (typeof channel !== "string" || channel.length === 0) return `a ${platform} pushChannel must be a non-empty string`;
  if (platform === "apns" && !/^([0-9a-fA-F]{2}){1,200}$/.test(channel)) return "an apns pushChannel must be a hex device token";
  if (platform === "wns" && !isHttpsUrl(channel)) return "a wns pushChannel must be an https channel URI";
  if (/\s/.test(channel)) return "a pushChannel must not contain white space";
  return undefined;
}

export function parsePlatform(value: unknown): Checked<InstallationPlatform> {
  const platform = typeof value === "string" ? value.toLowerCase() : undefined;
  if (platform === "baidu") return { ok: false, error: "Baidu is not supported by the installations API" };
  const known = PLATFORMS.find((p) => p === platform);
  return known ? { ok: true, value: known } : { ok: false, error: `platform must be one of ${PLATFORMS.join(", ")}` };
}

function checkTemplates(templates: unknown): string | undefined {
  if (templates === undefined) return undefined;
  if (!isPlainObject(templates)) return "templates must be an object of named templates";
  for (const [name, template] of Object.entries(templates)) {
    if (!isPlainObject(template) || typeof template.body !== "string") return `templates.${name}.body must be a string`;
  }
  return undefined;
}

/** Re-checks every rule on a complete installation (after PUT or PATCH). */
export function findInstallationProblem(i: EmulatorInstallation): string | undefined {
  if (i.userId !== undefined && !USER_ID.test(i.userId)) return "userId may only hold letters, digits and - _ @ # . : = \\";
  return findPushChannelProblem(i.platform, i.pushChannel) ?? findTagListProblem(i.tags) ?? checkTemplates(i.templates);
}

export function parseInstallation(options: { hub: string; installationId: string; body: unknown; now: Date }): Checked<EmulatorInstallation> {
  const { body } = options;
  if (!isPlainObject(body)) return { ok: false, error: "the installation must be a JSON object" };
  if (body.installationId !== options.installationId) {
    return { ok: false, error: "installationId in the body must equal the id in the URL" };
  }
  const platform = parsePlatform(body.platform);
  if (!platform.ok) return platform;
  if (body.tags !== undefined && !(Array.isArray(body.tags) && body.tags.every((t) => typeof t === "string"))) {
    return { ok: false, error: "tags must be an array of strings" };
  }
  if (body.userId !== undefined && typeof body.userId !== "string") return { ok: false, error: "userId must be a string" };
  const installation: EmulatorInstallation = {
    hub: options.hub,
    installationId: options.installationId,
    platform: platform.value,
    pushChannel: body.pushChannel as string | BrowserPushChannel,
    tags: [...new Set((body.tags as string[] | undefined) ?? [])],
    ...(body.userId !== undefined ? { userId: body.userId } : {}),
    ...(body.templates !== undefined ? { templates: body.templates as Record<string, unknown> } : {}),
    lastUpdate: options.now.toISOString(),
    expirationTime: NEVER_EXPIRES,
  };
  const problem = findInstallationProblem(installation);
  return problem ? { ok: false, error: problem } : { ok: true, value: installation };
}

/** The JSON NH returns for `GET {hub}/installations/{id}`. */
export function toWireInstallation(i: EmulatorInstallation): Record<string, unknown> {
  return {
    installationId: i.installationId,
    ...(i.userId !== undefined ? { userId: i.userId } : {}),
    platform: i.platform,
    pushChannel: i.pushChannel,
    pushChannelExpired: false,
    tags: i.tags,
    ...(i.templates !== undefined ? { templates: i.templates } : {}),
    expirationTime: i.expirationTime,
    lastUpdate: i.lastUpdate,
  };
}
