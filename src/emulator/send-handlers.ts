import { findPushChannelProblem } from "./installations.js";
import { type HandlerDeps, locationOf, type NhReply, type NhRequest } from "./handler-types.js";
import { PLATFORM_OF_FORMAT, type SendFormat } from "./native-types.js";
import { parseBatchBody } from "./multipart.js";
import { nhErrors } from "./nh-errors.js";
import { renderNotificationOutcome, MAX_TEST_SEND_RESULTS } from "./outcome-xml.js";
import { type DeviceHandle, deliverSend, type PreparedSend, type SendTarget } from "./send.js";
import { buildNotification, checkBodySize, parseFormat, parseTagHeader, rejectInvalidPayload } from "./send-request.js";

/** `POST {hub}/messages/` (tags, broadcast, direct, test) and `POST {hub}/messages/$batch?direct`. */
function checkHandle(format: SendFormat, handle: DeviceHandle): void {
  const problem = findPushChannelProblem(PLATFORM_OF_FORMAT[format], handle);
  if (problem) throw nhErrors.badRequest(`The device handle is invalid: ${problem}`);
}

function directHandle(req: NhRequest, format: SendFormat): DeviceHandle {
  const handle = req.headers["servicebusnotification-devicehandle"];
  if (!handle) throw nhErrors.badRequest("A direct send needs the ServiceBusNotification-DeviceHandle header");
  if (req.headers["servicebusnotification-tags"] !== undefined) {
    throw nhErrors.badRequest("A direct send cannot also carry ServiceBusNotification-Tags");
  }
  if (format !== "browser") return handle;
  const { p256dh, auth } = req.headers;
  if (!p256dh || !auth) throw nhErrors.badRequest("A direct browser send needs the P256DH and Auth headers");
  return { endpoint: handle, p256dh, auth };
}

function targetOf(req: NhRequest, format: SendFormat): SendTarget {
  if (req.query.has("direct")) {
    const handle = directHandle(req, format);
    checkHandle(format, handle);
    return { kind: "direct", handles: [handle] };
  }
  if (req.headers["servicebusnotification-devicehandle"] !== undefined) {
    throw nhErrors.badRequest("ServiceBusNotification-DeviceHandle needs ?direct=true");
  }
  if (req.headers.p256dh !== undefined || req.headers.auth !== undefined) {
    throw nhErrors.badRequest("The P256DH and Auth headers only apply to a direct browser send");
  }
  const expression = parseTagHeader(req);
  return expression === undefined ? { kind: "broadcast" } : { kind: "tags", expression };
}

function accepted(req: NhRequest, send: PreparedSend, id: string, body?: string): NhReply {
  return {
    status: 201,
    headers: { Location: locationOf(req.origin, send.hub, "messages", id) },
    ...(body !== undefined ? { contentType: "application/xml; charset=utf-8", body } : {}),
  };
}

export function sendNotification(deps: HandlerDeps, req: NhRequest): NhReply {
  checkBodySize(req);
  const format = parseFormat(req);
  const notification = buildNotification(req, format, req.headers["content-type"] ?? "", req.body);
  const send: PreparedSend = { hub: req.operation.hub, notification, target: targetOf(req, format) };
  deps.store.touchHub(send.hub);
  rejectInvalidPayload(deps, req, send, "messages");
  const id = deps.newId();
  if (!req.query.has("test")) {
    deliverSend(deps, send, id);
    return accepted(req, send, id);
  }
  // A test send reaches at most 10 devices and reports each outcome (NotificationOutcome XML).
  const results = deliverSend(deps, send, id, { maxDevices: MAX_TEST_SEND_RESULTS });
  return accepted(req, send, id, renderNotificationOutcome(format, results));
}

export function batchSend(deps: HandlerDeps, req: NhRequest): NhReply {
  const format = parseFormat(req);
  if (format === "browser") throw nhErrors.notSupported("A $batch send for browser (the SDK only batches string handles)");
  const batch = parseBatchBody(req.headers["content-type"] ?? "", req.body);
  if (!batch.ok) throw nhErrors.badRequest(`The batch body is invalid: ${batch.error}`);
  if (Buffer.byteLength(batch.value.body, "utf8") > 64 * 1024) throw nhErrors.payloadTooLarge(64 * 1024);
  batch.value.devices.forEach((d) => checkHandle(format, d));
  const notification = buildNotification(req, format, batch.value.contentType, batch.value.body);
  const send: PreparedSend = { hub: req.operation.hub, notification, target: { kind: "batch", handles: batch.value.devices } };
  deps.store.touchHub(send.hub);
  rejectInvalidPayload(deps, req, send, "messages");
  const id = deps.newId();
  deliverSend(deps, send, id);
  return accepted(req, send, id);
}
