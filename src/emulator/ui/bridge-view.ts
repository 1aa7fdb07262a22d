import type { RecordedDelivery } from "../model.js";
import { findHeader, isRecord, parseJsonObject, readText, type JsonObject } from "./payload-helpers.js";

/** What the bridge says about the notification a delivery carries (its `gnb` metadata). */
export interface BridgeOrigin {
  /** The bridge's notification id, as its caller got it (`id` of the 201). */
  notificationId: string;
  /** The app the notification is for (`targetHostName`). */
  targetHostName?: string;
  appNotificationId?: string;
}

const METADATA_KEY = "gnb";

function fromMetadata(m: unknown): BridgeOrigin | undefined {
  if (!isRecord(m)) return undefined;
  const id = readText(m.id);
  if (!id) return undefined;
  return { notificationId: id, targetHostName: readText(m.targetHostName), appNotificationId: readText(m.appNotificationId) };
}

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const unescapeXml = (s: string) => s.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_m, e: string) => XML_ENTITIES[e] ?? String.fromCharCode(Number(e.slice(1))));

function messageOf(body: JsonObject | undefined): JsonObject | undefined {
  return isRecord(body?.message) ? body.message : undefined;
}

/** The bridge's metadata wherever the platform carries it: the JSON body, FCM's flat `gnb_*` data, a toast's launch argument. */
export function readBridgeOrigin(d: RecordedDelivery): BridgeOrigin | undefined {
  if (d.platform === "wns") {
    const launch = /<toast\b[^>]*\blaunch="([^"]*)"/.exec(d.body)?.[1];
    return launch === undefined ? undefined : fromMetadata(parseJsonObject(unescapeXml(launch))?.[METADATA_KEY]);
  }
  const body = parseJsonObject(d.body);
  const data = messageOf(body)?.data;
  if (isRecord(data)) return fromMetadata({ id: data.gnb_id, targetHostName: data.gnb_targetHostName, appNotificationId: data.gnb_appNotificationId });
  return fromMetadata(body?.[METADATA_KEY]);
}

/** The key under which a later notification replaces this one on the device (collapse id, tag, topic). */
export function replaceKeyOf(d: RecordedDelivery): string | undefined {
  switch (d.platform) {
    case "apns":
      return findHeader(d.headers, "apns-collapse-id");
    case "wns": {
      const tag = findHeader(d.headers, "X-WNS-Tag");
      return tag && `${tag}|${findHeader(d.headers, "X-WNS-Group") ?? ""}`;
    }
    case "browser":
      return findHeader(d.headers, "Topic");
    case "fcmv1": {
      const android = messageOf(parseJsonObject(d.body))?.android;
      if (!isRecord(android)) return undefined;
      return readText(isRecord(android.notification) ? android.notification.tag : undefined) ?? readText(android.collapse_key);
    }
    default:
      return undefined;
  }
}

/**
 * For deliveries sorted newest first: the id of the later delivery that replaced each one on the
 * same device (same hub, device and replace key), as the device shows only the newer.
 */
export function findReplacements(newestFirst: readonly RecordedDelivery[]): Map<string, string> {
  const latest = new Map<string, string>();
  const replacedBy = new Map<string, string>();
  for (const d of newestFirst) {
    const key = replaceKeyOf(d);
    if (!key) continue;
    const slot = JSON.stringify([d.hub, d.installationId ?? d.deviceHandle, d.platform, key]);
    const newer = latest.get(slot);
    if (newer) replacedBy.set(d.id, newer);
    latest.set(slot, d.id);
  }
  return replacedBy;
}
