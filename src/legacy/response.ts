import type { AcceptedNotification } from "./types.js";

/** Graph's content type for entity answers. */
export const GRAPH_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

export interface RequestIds {
  requestId: string;
  clientRequestId: string;
}

/** The Graph error body: {"error": {code, message, innerError: {date, request-id, client-request-id}}}. */
export function graphErrorBody(code: string, message: string, ids: RequestIds, now: Date) {
  return {
    error: {
      code,
      message,
      innerError: { date: now.toISOString().replace(/\.\d{3}Z$/, ""), "request-id": ids.requestId, "client-request-id": ids.clientRequestId },
    },
  };
}

const PLATFORM_NAMES = { windows: "windows", ios: "ios", android: "android", webpush: "webPush" } as const;

/**
 * The 201 body Graph returned (shape from the recorded App Service sample): raw content is not
 * echoed (`"payload": {}` for raw-only), visual content is.
 */
export function createdNotificationBody(n: AcceptedNotification, baseUrl: string) {
  const payload: Record<string, unknown> = {};
  if (n.visual) payload.visualContent = { title: n.visual.title, body: n.visual.body ?? null };
  return {
    "@odata.context": `${baseUrl}/beta/$metadata#users('${encodeURIComponent(n.unsId)}')/notifications/$entity`,
    id: n.id,
    targetHostName: n.targetHostName,
    appNotificationId: n.appNotificationId ?? null,
    displayTimeToLive: n.displayTimeToLive ?? null,
    expirationDateTime: n.expiresAt.toISOString(),
    groupName: n.groupName ?? null,
    priority: n.priority,
    targetPolicy: { platformTypes: n.platforms.map((p) => PLATFORM_NAMES[p]) },
    payload,
    fallbackPolicy: n.fallback
      ? {
          endpointFallback: {
            platformTypes: ["ios"],
            fallbackDelayInSeconds: n.fallback.delaySeconds,
            visualContent: { title: n.fallback.visual.title, body: n.fallback.visual.body ?? null },
          },
        }
      : null,
  };
}

/** `Location: {base}/beta/me/activities/{id}` — yes, "activities", as Graph answered. */
export const notificationLocation = (baseUrl: string, id: string) => `${baseUrl}/beta/me/activities/${id}`;

/** The 201 answer of an accepted notification: its body and its Location. */
export interface CreatedAnswer {
  body: ReturnType<typeof createdNotificationBody>;
  location: string;
}

export const createdAnswer = (n: AcceptedNotification, baseUrl: string): CreatedAnswer =>
  ({ body: createdNotificationBody(n, baseUrl), location: notificationLocation(baseUrl, n.id) });

/**
 * What a notification's row keeps of its 201 answer, so that an idempotent repeat gets exactly the
 * same one: the base URL it was made with. The rest is made again from the stored notification.
 */
export interface StoredAnswer {
  baseUrl: string;
}

/** The answer a stored notification was accepted with (rows written before kept the whole answer: used as it is). */
export function storedCreatedAnswer(n: AcceptedNotification, stored: unknown): CreatedAnswer {
  const s = stored as Partial<CreatedAnswer & StoredAnswer> | null | undefined;
  if (s?.body !== undefined && s.location !== undefined) return { body: s.body, location: s.location };
  return createdAnswer(n, s?.baseUrl ?? "");
}
