import express, { Router, type Request, type RequestHandler, type Response } from "express";
import { z } from "zod";
import { authorizeTargetHost, normaliseHost, type AppHostRules } from "../../auth/app-hosts.js";
import type { UserKey } from "../../store/subscription-store.js";
import { describeFallbackAlert } from "../../delivery/hubs/mapping/fallback-alert.js";
import { errors } from "../../errors.js";
import { GRAPH_JSON, storedCreatedAnswer } from "../../legacy/response.js";
import type { DeliveryRecord, NotificationRecord, Store } from "../../store/store.js";
import { callerOf } from "../authenticate.js";
import { methodNotAllowed } from "./notifications.js";

/** The public view of a delivery: state and what NH said, never the ack token. */
export function deliveryView(d: DeliveryRecord) {
  return {
    id: d.id,
    notificationId: d.notificationId,
    platform: d.platform,
    purpose: d.purpose,
    destination: d.destination ?? null,
    role: d.role,
    state: d.state,
    attempts: d.attempts,
    nextAttemptAt: ["pending", "retrying"].includes(d.state) ? d.nextAttemptAt.toISOString() : null,
    lastError: d.lastError ?? null,
    lastStatus: d.lastStatus ?? null,
    hubNotificationId: d.hubNotificationId ?? null,
    trackingId: d.trackingId ?? null,
    correlationId: d.correlationId ?? null,
    sentAt: d.sentAt?.toISOString() ?? null,
    tagExpression: d.send.tagExpression,
    format: d.send.format,
  };
}

const ackBody = z.object({
  ackToken: z.string({ message: "is required: the token from the push metadata" }).min(1).max(200),
  installationId: z.string().min(1).max(256).optional(),
});

/** A delegated user's notification: sent to their subscription for its host (or, before subscriptions, to their oid). */
async function isOwnNotification(store: Store, caller: UserKey, n: NotificationRecord): Promise<boolean> {
  if (n.unsId === caller.userObjectId) return true;
  const own = await store.subscriptions.findUserSubscription({ tenantId: caller.tenantId, userObjectId: caller.userObjectId, targetHostName: normaliseHost(n.body.targetHostName) });
  return own?.id === n.unsId;
}

/**
 * GET /beta/me/notifications/{id}: the notification with per-platform delivery status.
 * POST /beta/me/notifications/{id}/acknowledge: the app on a device confirms it got the raw push
 * (authorised by the per-notification token in the metadata, not by a bearer token).
 */
export function createStatusRouter(o: { store: Store; now: () => Date; authenticate: RequestHandler; appHosts?: AppHostRules }): Router {
  const r = Router();
  r.route("/beta/me/notifications/:id")
    .get(o.authenticate, async (req: Request, res: Response) => {
      const found = await o.store.getNotification(String(req.params.id));
      if (!found) throw errors.notFound(`Notification '${String(req.params.id).slice(0, 64)}'`);
      const caller = callerOf(res);
      const notFound = () => errors.notFound(`Notification '${String(req.params.id).slice(0, 64)}'`);
      if (caller.kind === "delegated" && !(await isOwnNotification(o.store, caller, found.notification))) throw notFound();
      // A caller sees only notifications for hosts it may post for; others do not exist for it.
      if (o.appHosts) {
        try {
          authorizeTargetHost(caller, found.notification.body.targetHostName, o.appHosts);
        } catch {
          throw notFound();
        }
      }
      const base = storedCreatedAnswer(found.notification.body, found.notification.response).body;
      const body = {
        ...base, status: found.notification.state === "replaced" ? "replaced" : "active", replacedBy: found.notification.replacedBy ?? null,
        deliveries: found.deliveries.map(deliveryView), targets: found.notification.body.targets ?? null,
        iosFallbackAlert: describeFallbackAlert({ fallback: found.notification.body.fallback, createdAt: found.notification.createdAt, expiresAt: found.notification.expiresAt }, found.deliveries.map((d) => d.send)),
        ...(found.notification.routing ? { routing: found.notification.routing } : {}),
      };
      res.status(200).type(GRAPH_JSON).send(JSON.stringify(body));
    })
    .all(methodNotAllowed(["GET"]));

  r.route("/beta/me/notifications/:id/acknowledge")
    .post(express.json({ limit: 4096, type: () => true }), async (req: Request, res: Response) => {
      const parsed = ackBody.safeParse(req.body);
      if (!parsed.success) throw errors.invalidRequest(`Invalid acknowledgement: ${parsed.error.issues.map((i) => `'${i.path.join(".") || "body"}' ${i.message}`).join("; ")}.`);
      const result = await o.store.acknowledge({ notificationId: String(req.params.id), ...parsed.data, now: o.now() });
      if (result === "not-found") throw errors.notFound(`Notification '${String(req.params.id).slice(0, 64)}'`);
      if (result === "bad-token") throw errors.forbidden("The acknowledgement token does not match this notification.");
      res.status(204).end();
    })
    .all(methodNotAllowed(["POST"]));
  return r;
}
