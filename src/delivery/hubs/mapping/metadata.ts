import type { AcceptedNotification } from "../../../legacy/types.js";
import type { MappingContext } from "./context.js";

/** The key the metadata object sits under in JSON payloads, and the prefix of FCM data keys. */
export const METADATA_KEY = "gnb";

/** What an app client gets to correlate, de-duplicate, apply displayTimeToLive and acknowledge. */
export interface ClientMetadata {
  id: string;
  appNotificationId?: string;
  groupName?: string;
  targetHostName: string;
  expirationDateTime: string;
  displayTimeToLive?: number;
  ackToken?: string;
}

/** Fixed key order so previews and sends are byte-identical. */
export function buildMetadata(n: AcceptedNotification, ctx: Pick<MappingContext, "ackToken">): ClientMetadata {
  return {
    id: n.id,
    ...(n.appNotificationId !== undefined ? { appNotificationId: n.appNotificationId } : {}),
    ...(n.groupName !== undefined ? { groupName: n.groupName } : {}),
    targetHostName: n.targetHostName,
    expirationDateTime: n.expiresAt.toISOString(),
    ...(n.displayTimeToLive !== undefined ? { displayTimeToLive: n.displayTimeToLive } : {}),
    ...(ctx.ackToken !== undefined ? { ackToken: ctx.ackToken } : {}),
  };
}

/** FCM `data` is a flat string map: `gnb_id`, `gnb_appNotificationId`, ... with string values. */
export function flattenMetadata(m: ClientMetadata): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(m)) flat[`${METADATA_KEY}_${key}`] = String(value);
  return flat;
}
