import { createHash } from "node:crypto";
import { newSecretToken, newTimeOrderedId } from "../../ids.js";
import { errors } from "../../errors.js";
import { createdAnswer, storedCreatedAnswer, type CreatedAnswer, type StoredAnswer } from "../../legacy/response.js";
import { unwrapEnvelope } from "../../legacy/request-schema.js";
import type { AcceptedNotification, LegacyNotification } from "../../legacy/types.js";
import type { AcceptingStore } from "../../store/store.js";
import type { NativeSend } from "../native-send.js";
import type { PreviewingStrategy, SendTarget, SubmitAnswer, SubmitContext } from "../strategy.js";
import type { HubSender } from "./hub-sender.js";
import { mapToNativeSends, PayloadTooLargeError } from "./mapping/index.js";
import { buildTagExpression, DEFAULT_TAG_TEMPLATE } from "./targeting.js";

/** Stands in for the per-notification acknowledgement token in previews (the real one is secret and random). */
export const PREVIEW_ACK_TOKEN = "preview-ack-token";

export interface HubsStrategyOptions {
  sender: HubSender;
  tagTemplate: string;
  iosFallbackMode: "immediate" | "deferred";
  now: () => Date;
  /** outbox: store then answer 201, the worker sends. direct: answer 201 only after NH accepted every send. */
  mode: { kind: "outbox"; store: AcceptingStore } | { kind: "direct" };
  newId?: () => string;
  /** Write each accepted notification's feed item with it (FEED=on; outbox mode only). */
  feed?: boolean;
}

/** What identifies "the same content" for idempotency: everything the caller said, nothing we added. */
export function contentHashOf(n: LegacyNotification, rawBody: unknown): string {
  // The explicit expiry is read where validation read it: inside the `{"notification": ...}` envelope when there is one.
  const explicitExpiry = (unwrapEnvelope(rawBody) as { expirationDateTime?: unknown } | null)?.expirationDateTime ?? null;
  const { expiresAt: _ignored, ...rest } = n;
  return createHash("sha256").update(JSON.stringify({ ...rest, explicitExpiry })).digest("base64url");
}

/** The hubs strategy, which can also plan a preview for another hub's tag template (routing). */
export interface HubsStrategy extends PreviewingStrategy {
  previewFor(notification: AcceptedNotification, tagTemplate: string): NativeSend[];
}

export function createNotificationHubsStrategy(o: HubsStrategyOptions): HubsStrategy {
  // Time-ordered (v7) ids: rows and index entries of one moment land side by side in the store's
  // B-trees, so an insert dirties a few pages at the right edge instead of random ones.
  const newId = o.newId ?? newTimeOrderedId;

  function plan(accepted: AcceptedNotification, ackToken?: string, tagTemplate = o.tagTemplate): NativeSend[] {
    try {
      return mapToNativeSends(accepted, {
        // A subscription the bridge registered: its installations carry the id as userId, whatever the template says.
        tagExpression: buildTagExpression(accepted.targets ? DEFAULT_TAG_TEMPLATE : tagTemplate, accepted.unsId),
        iosFallbackMode: o.iosFallbackMode,
        ackToken,
        now: accepted.createdAt,
      });
    } catch (e) {
      if (e instanceof PayloadTooLargeError)
        throw errors.invalidRequest(`The notification is too large for ${e.platform}: ${e.size} bytes where the limit is ${e.limit}. Shorten 'payload.rawContent' or 'payload.visualContent'.`);
      throw e;
    }
  }

  function answer(created: CreatedAnswer): SubmitAnswer {
    return { status: 201, headers: { Location: created.location }, body: created.body };
  }

  return {
    name: "hubs",
    preview: (accepted) => ({ sends: plan(accepted, o.mode.kind === "outbox" ? PREVIEW_ACK_TOKEN : undefined) }),
    previewFor: (accepted, tagTemplate) => plan(accepted, o.mode.kind === "outbox" ? PREVIEW_ACK_TOKEN : undefined, tagTemplate),
    checkReady: () => o.sender.checkReady(),

    async submit(n, ctx: SubmitContext) {
      const now = o.now();
      const accepted: AcceptedNotification = { ...n, id: newId(), unsId: ctx.unsId, createdAt: now, ...(ctx.targets ? { targets: ctx.targets } : {}) };
      const ackToken = newSecretToken();
      const targets: Array<Partial<SendTarget>> = ctx.routing?.targets ?? [{}];
      const planned = targets.flatMap((t) => plan(accepted, o.mode.kind === "outbox" ? ackToken : undefined, t.tagTemplate)
        .map((s) => ({ s: t.destination ? { ...s, destination: t.destination } : s, destination: t.destination, role: t.role })));
      const sends = planned.map((p) => p.s);
      const created = createdAnswer(accepted, ctx.baseUrl);

      if (o.mode.kind === "direct") {
        // Settle every send before answering, so no send outlives the request that made it.
        const results = await Promise.allSettled(sends.map((s) => o.sender.send(s)));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
        if (failed) throw failed.reason;
        return answer(created);
      }

      const outcome = await o.mode.store.acceptNotification(
        {
          notification: accepted,
          ackToken,
          idempotencyKey: ctx.idempotencyKey,
          contentHash: contentHashOf(n, ctx.rawBody),
          response: { baseUrl: ctx.baseUrl } satisfies StoredAnswer, // the answer is made again from the row
          feed: o.feed,
          deliveries: planned.map(({ s, destination, role }) => ({
            id: newId(),
            platform: s.platform,
            purpose: s.purpose,
            send: { ...s, trace: { requestId: ctx.requestId, traceparent: ctx.traceparent } },
            dueAt: s.scheduledAt ? new Date(s.scheduledAt) : now,
            ...(destination ? { destination, role } : {}),
          })),
          ...(ctx.routing ? { routing: ctx.routing.decision } : {}),
          now,
        },
      );
      // A repeat gets the answer its first request got.
      return answer(outcome.outcome === "duplicate" ? storedCreatedAnswer(outcome.notification.body, outcome.notification.response) : created);
    },
  };
}
