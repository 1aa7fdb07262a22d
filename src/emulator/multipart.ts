import type { Checked } from "./installations.js";

/**
 * Batch direct send body (learn.microsoft.com/rest/api/notificationhubs/direct-batch-send):
 * multipart/mixed with an inline part named `notification` (the payload, with its own
 * Content-Type) and one named `devices` (a JSON array of device handles).
 */
export const MAX_BATCH_DEVICES = 1000;

export interface BatchBody {
  contentType: string;
  body: string;
  devices: string[];
}

interface Part {
  headers: Record<string, string>;
  body: string;
}

export function parseBoundary(contentType: string): string | undefined {
  if (!/^multipart\/mixed\s*;/i.test(contentType)) return undefined;
  return /boundary\s*=\s*"?([^";]+?)"?\s*(;|$)/i.exec(contentType)?.[1];
}

function parsePart(raw: string): Part | undefined {
  const text = raw.replace(/^\r?\n/, "");
  const split = text.indexOf("\r\n\r\n");
  if (split === -1) return undefined;
  const headers: Record<string, string> = {};
  for (const line of text.slice(0, split).split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body: text.slice(split + 4).replace(/\r\n$/, "") };
}

function partName(part: Part): string | undefined {
  return /name\s*=\s*"?([^";]+)"?/i.exec(part.headers["content-disposition"] ?? "")?.[1];
}

function parseDevices(body: string): Checked<string[]> {
  let devices: unknown;
  try {
    devices = JSON.parse(body);
  } catch {
    return { ok: false, error: "the devices part must be a JSON array of device handles" };
  }
  if (!Array.isArray(devices) || devices.length === 0 || !devices.every((d) => typeof d === "string" && d !== "")) {
    return { ok: false, error: "the devices part must be a non-empty JSON array of device handles" };
  }
  if (devices.length > MAX_BATCH_DEVICES) return { ok: false, error: `a batch holds at most ${MAX_BATCH_DEVICES} devices` };
  return { ok: true, value: devices as string[] };
}

export function parseBatchBody(contentType: string, body: string): Checked<BatchBody> {
  const boundary = parseBoundary(contentType);
  if (!boundary) return { ok: false, error: "a batch send must be multipart/mixed with a boundary" };
  const sections = body.split(`--${boundary}`);
  const closed = sections.length >= 3 && sections[sections.length - 1].startsWith("--");
  if (!closed) return { ok: false, error: "the multipart body is not closed by its boundary" };
  const parts = sections.slice(1, -1).map(parsePart);
  if (parts.some((p) => p === undefined)) return { ok: false, error: "a multipart part has no header/body separator" };
  const byName = new Map((parts as Part[]).map((p) => [partName(p), p]));
  const notification = byName.get("notification");
  const devicesPart = byName.get("devices");
  if (!notification || !devicesPart) return { ok: false, error: "a batch send needs the parts 'notification' and 'devices'" };
  const devices = parseDevices(devicesPart.body);
  if (!devices.ok) return devices;
  return {
    ok: true,
    value: { contentType: notification.headers["content-type"] ?? "", body: notification.body, devices: devices.value },
  };
}
