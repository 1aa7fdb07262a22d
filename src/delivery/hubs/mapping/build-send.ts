import type { Platform } from "../../../legacy/types.js";
import { FORMAT_OF_PLATFORM, type NativeSend } from "../../native-send.js";
import type { MappingContext } from "./context.js";
import { checkPayloadSize } from "./size-limit.js";

export const JSON_CONTENT_TYPE = "application/json;charset=utf-8";

export interface SendParts {
  purpose?: NativeSend["purpose"];
  contentType: string;
  headers: Record<string, string>;
  body: string;
  scheduledAt?: Date;
}

/** Assembles one NativeSend in a fixed key order, refusing bodies over the platform limit. */
export function buildSend(platform: Platform, ctx: MappingContext, parts: SendParts): NativeSend {
  const send: NativeSend = {
    platform,
    format: FORMAT_OF_PLATFORM[platform],
    purpose: parts.purpose ?? "primary",
    tagExpression: ctx.tagExpression,
    contentType: parts.contentType,
    headers: parts.headers,
    body: checkPayloadSize(platform, parts.body),
  };
  if (parts.scheduledAt) send.scheduledAt = parts.scheduledAt.toISOString();
  return send;
}
