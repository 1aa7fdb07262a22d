import { type HandlerDeps, locationOf, type NhReply, type NhRequest } from "./handler-types.js";
import { nhErrors } from "./nh-errors.js";
import { renderNotificationDetails } from "./outcome-xml.js";
import { type PreparedSend, recordScheduledSend } from "./send.js";
import { buildNotification, checkBodySize, parseFormat, parseTagHeader, rejectInvalidPayload } from "./send-request.js";

/** Scheduled sends (Standard tier in NH) and per-message telemetry. */
export const MAX_SCHEDULE_AHEAD_MS = 7 * 24 * 3600 * 1000;

function parseScheduleTime(req: NhRequest, now: Date): Date {
  const text = req.headers["servicebusnotification-scheduletime"];
  if (!text) throw nhErrors.badRequest("A scheduled send needs the ServiceBusNotification-ScheduleTime header");
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw nhErrors.badRequest("ServiceBusNotification-ScheduleTime must be an ISO 8601 date-time");
  if (at.getTime() - now.getTime() > MAX_SCHEDULE_AHEAD_MS) {
    throw nhErrors.badRequest("Notifications can be scheduled at most 7 days ahead");
  }
  return at;
}

export function scheduleSend(deps: HandlerDeps, req: NhRequest): NhReply {
  checkBodySize(req);
  const dueAt = parseScheduleTime(req, deps.now());
  const format = parseFormat(req);
  const expression = parseTagHeader(req);
  const send: PreparedSend = {
    hub: req.operation.hub,
    notification: buildNotification(req, format, req.headers["content-type"] ?? "", req.body),
    target: expression === undefined ? { kind: "broadcast" } : { kind: "tags", expression },
  };
  deps.store.touchHub(send.hub);
  rejectInvalidPayload(deps, req, send, "schedulednotifications");
  const id = deps.newId();
  recordScheduledSend(deps, send, id, dueAt);
  deps.scheduler.add({ id, dueAt: dueAt.toISOString(), send });
  return { status: 201, headers: { Location: locationOf(req.origin, send.hub, "schedulednotifications", id) } };
}

export function cancelScheduledSend(deps: HandlerDeps, req: NhRequest): NhReply {
  const { hub, id = "" } = req.operation;
  if (!deps.scheduler.cancel(hub, id)) throw nhErrors.notFound(`Scheduled notification '${id}' not found (or already sent)`);
  const record = deps.store.getNotification(hub, id);
  if (record) deps.store.saveNotification({ ...record, state: "Canceled", endTime: deps.now().toISOString() });
  return { status: 200 };
}

export function getNotificationOutcome(deps: HandlerDeps, req: NhRequest): NhReply {
  const { hub, id = "" } = req.operation;
  const record = deps.store.getNotification(hub, id);
  if (!record) throw nhErrors.notFound(`Notification '${id}' not found`);
  const collection = record.scheduledFor !== undefined ? "schedulednotifications" : "messages";
  return {
    status: 200,
    contentType: "application/xml; charset=utf-8",
    body: renderNotificationDetails(record, locationOf(req.origin, hub, collection, id)),
  };
}
