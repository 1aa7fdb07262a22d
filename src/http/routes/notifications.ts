import { Router, type Request, type Response } from "express";
import { authorizeTargetHost, type AppHostRules } from "../../auth/app-hosts.js";
import type { DeliveryStrategy } from "../../delivery/strategy.js";
import { errors } from "../../errors.js";
import { describeProblems, validateLegacyNotification } from "../../legacy/request-schema.js";
import type { LegacyNotification, NotificationTargets } from "../../legacy/types.js";
import type { ResolveRecipient } from "../../devices/recipients.js";
import { bearerTokenOf, callerOf } from "../authenticate.js";
import { idsOf } from "../request-ids.js";
import { sendAnswer } from "../send-answer.js";

export interface ValidatedRequest {
  notification: LegacyNotification;
  unsId: string;
}

/** Validation, host authorisation and target resolution shared by the POST and the preview. */
export function validateRequest(req: Request, res: Response, o: { now: () => Date; appHosts?: AppHostRules }): ValidatedRequest {
  const result = validateLegacyNotification(req.body, o.now());
  if (!result.ok) throw errors.invalidRequest(describeProblems(result.problems), result.problems);
  const caller = callerOf(res);
  if (o.appHosts) authorizeTargetHost(caller, result.value.targetHostName, o.appHosts);
  if (caller.kind === "delegated") return { notification: result.value, unsId: caller.userObjectId };
  const unsId = req.get("X-UNS-ID")?.trim();
  if (!unsId) throw errors.missingUnsId();
  if (unsId.length > 1024) throw errors.invalidRequest("The X-UNS-ID header is longer than 1024 characters.");
  return { notification: result.value, unsId };
}

/** validateRequest, then the recipient: a registered subscription's primary id and installations, or 404. */
export async function resolveRequest(req: Request, res: Response, o: { now: () => Date; appHosts?: AppHostRules; recipients?: ResolveRecipient }): Promise<ValidatedRequest & { targets?: NotificationTargets }> {
  const v = validateRequest(req, res, o);
  if (!o.recipients) return v;
  const caller = callerOf(res);
  const r = await o.recipients({ caller, targetHostName: v.notification.targetHostName, unsId: caller.kind === "delegated" ? undefined : v.unsId });
  return { notification: v.notification, unsId: r.unsId, targets: r.targets };
}

export function baseUrlOf(req: Request, publicBaseUrl?: string): string {
  return (publicBaseUrl ?? `${req.protocol}://${req.get("host") ?? "localhost"}`).replace(/\/$/, "");
}

export interface NotificationRoutesOptions {
  strategy: DeliveryStrategy;
  now: () => Date;
  appHosts?: AppHostRules;
  publicBaseUrl?: string;
  currentTraceparent?: () => string | undefined;
  /** With the store: X-UNS-ID (or the delegated user) resolved against registered subscriptions. */
  recipients?: ResolveRecipient;
}

/** POST /beta/me/notifications: the legacy endpoint itself. */
export function createNotificationHandler(o: NotificationRoutesOptions) {
  return async (req: Request, res: Response) => {
    const { notification, unsId, targets } = await resolveRequest(req, res, o);
    const ids = idsOf(res);
    const answer = await o.strategy.submit(notification, {
      unsId,
      targets,
      requestId: ids.requestId,
      clientRequestId: ids.clientRequestId,
      baseUrl: baseUrlOf(req, o.publicBaseUrl),
      caller: callerOf(res),
      callerToken: bearerTokenOf(req.get("Authorization")),
      rawBody: req.body,
      idempotencyKey: req.get("Idempotency-Key")?.slice(0, 256),
      traceparent: o.currentTraceparent?.(),
    });
    sendAnswer(res, answer);
  };
}

export function methodNotAllowed(allowed: string[]) {
  return (req: Request) => {
    throw errors.methodNotAllowed(req.method, allowed);
  };
}

export function createNotificationRouter(o: NotificationRoutesOptions & { accept: Array<(req: Request, res: Response, next: (e?: unknown) => void) => void> }): Router {
  const r = Router();
  r.route("/beta/me/notifications").post(...o.accept, createNotificationHandler(o)).all(methodNotAllowed(["POST"]));
  return r;
}
