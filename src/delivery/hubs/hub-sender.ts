import type { Notification } from "@azure/notification-hubs";
import type { HubClient } from "./hub-client.js";
import { DeliveryError, classifyUpstreamStatus, parseRetryAfter } from "../../errors.js";
import type { NativeSend } from "../native-send.js";

export interface SendReceipt {
  hubNotificationId?: string;
  trackingId?: string;
  correlationId?: string;
}

export interface HubSender {
  send(send: NativeSend, o?: { tagExpression?: string }): Promise<SendReceipt>;
  checkReady(): Promise<void>;
}

interface RestLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { headers: { get(name: string): string | undefined | null } };
}

/** Turns whatever the SDK threw into a classified DeliveryError (the one place this happens). */
export function toDeliveryError(e: unknown, now: Date): DeliveryError {
  if (e instanceof DeliveryError) return e;
  const err = (e ?? {}) as RestLikeError;
  const status = err.statusCode;
  const { retryable } = classifyUpstreamStatus(status);
  const retryAfterMs = parseRetryAfter(err.response?.headers.get("retry-after"), now);
  const what = status !== undefined ? `Notification Hubs answered ${status}` : `Notification Hubs unreachable (${err.code ?? err.message ?? "unknown error"})`;
  const detail = status !== undefined && err.message ? `: ${err.message}` : "";
  // The SDK aborts a call that outlives requestOptions.timeout (AbortError); sockets time out as ETIMEDOUT.
  const timedOut = status === undefined && ((e as Error | undefined)?.name === "AbortError" || err.code === "ETIMEDOUT");
  return new DeliveryError(`${what}${detail}`, { status, retryable, retryAfterMs, timedOut, cause: e });
}

/** A healthy answer is trusted this long, so frequent /readyz probes do not spend NH's management quota. */
export const READY_CACHE_MS = 10_000;

/** Sends NativeSends through the SDK exactly as given (headers, body, content type, tags). */
export function createHubSender(client: HubClient, o: { timeoutMs: number; now: () => Date }): HubSender {
  return {
    async send(send, opts) {
      const notification = {
        platform: send.format,
        contentType: send.contentType,
        headers: { ...send.headers },
        body: send.body,
      } as Notification;
      try {
        const r = await client.sendNotification(notification, {
          tagExpression: opts?.tagExpression ?? send.tagExpression,
          requestOptions: { timeout: o.timeoutMs },
        });
        return { hubNotificationId: r.notificationId, trackingId: r.trackingId, correlationId: r.correlationId };
      } catch (e) {
        throw toDeliveryError(e, o.now());
      }
    },
    async checkReady() {
      try {
        await client.getInstallation("gnb-readiness-probe", { requestOptions: { timeout: o.timeoutMs } });
      } catch (e) {
        const status = (e as RestLikeError).statusCode;
        if (status !== 404) throw toDeliveryError(e, o.now()); // 404: reachable and our key is accepted
      }
    },
  };
}

/** Trusts a healthy checkReady for READY_CACHE_MS of `now`; a failure is never cached. */
export function cacheReadiness(sender: HubSender, now: () => Date): HubSender {
  let readyAt: number | undefined;
  return {
    send: (s, o) => sender.send(s, o),
    async checkReady() {
      const t = now().getTime();
      if (readyAt !== undefined && t - readyAt >= 0 && t - readyAt < READY_CACHE_MS) return;
      readyAt = undefined;
      await sender.checkReady();
      readyAt = t;
    },
  };
}
