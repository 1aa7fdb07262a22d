import type { AcceptedNotification, Platform } from "../../../legacy/types.js";
import type { NativeSend } from "../../native-send.js";
import { mapApns } from "./apns.js";
import type { MappingContext } from "./context.js";
import { mapFcm } from "./fcm.js";
import { mapWebPush } from "./webpush.js";
import { mapWns } from "./wns.js";

export type { MappingContext } from "./context.js";
export { PayloadTooLargeError, PAYLOAD_LIMITS } from "./size-limit.js";
export { METADATA_KEY, type ClientMetadata } from "./metadata.js";
export { kindOf, type NotificationKind } from "./kind.js";

const MAPPER_OF_PLATFORM: Record<Platform, (n: AcceptedNotification, ctx: MappingContext) => NativeSend[]> = {
  windows: mapWns,
  ios: mapApns,
  android: mapFcm,
  webpush: mapWebPush,
};

/**
 * Every Notification Hubs native send for one accepted notification, in platform order.
 * Pure and deterministic: a preview of the same input equals the send. Throws
 * PayloadTooLargeError when a platform's payload would exceed its limit (docs/mapping.md).
 */
export function mapToNativeSends(n: AcceptedNotification, ctx: MappingContext): NativeSend[] {
  return n.platforms.flatMap((platform) => MAPPER_OF_PLATFORM[platform](n, ctx));
}
