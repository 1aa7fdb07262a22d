import type { HandlerDeps, NhRequest } from "./handler-types.js";
import { locationOf } from "./handler-types.js";
import { splitNativeHeaders, validateNativeNotification } from "./native-validation.js";
import { SEND_FORMATS, type NativeNotification, type SendFormat } from "./native-types.js";
import { NhError, nhErrors } from "./nh-errors.js";
import { type PreparedSend, recordRejectedSend } from "./send.js";
import { parseTagExpression } from "./tag-expression.js";

/** Reading a send request: format, native headers, tag expression; shared by send, batch and schedule. */
export const MAX_SEND_BODY_BYTES = 64 * 1024;

export function parseFormat(req: NhRequest): SendFormat {
  const value = req.headers["servicebusnotification-format"];
  if (!value) throw nhErrors.badRequest("The ServiceBusNotification-Format header is required");
  const format = SEND_FORMATS.find((f) => f === value.toLowerCase());
  if (!format) throw nhErrors.notSupported(`ServiceBusNotification-Format '${value}' (use apple, fcmv1, windows or browser)`);
  return format;
}

export function buildNotification(req: NhRequest, format: SendFormat, contentType: string, body: string): NativeNotification {
  const { own, foreign } = splitNativeHeaders(format, req.headers);
  if (foreign.length > 0) {
    throw nhErrors.badRequest(`The header '${foreign[0]}' does not apply to ServiceBusNotification-Format '${format}'`);
  }
  return { format, contentType, headers: own, body };
}

export function parseTagHeader(req: NhRequest): string | undefined {
  const expression = req.headers["servicebusnotification-tags"];
  if (expression === undefined) return undefined;
  const parsed = parseTagExpression(expression);
  if (!parsed.ok) throw nhErrors.badRequest(`The tag expression '${expression}' is invalid: ${parsed.error}`);
  return expression;
}

export function checkBodySize(req: NhRequest): void {
  if (Buffer.byteLength(req.body, "utf8") > MAX_SEND_BODY_BYTES) throw nhErrors.payloadTooLarge(MAX_SEND_BODY_BYTES);
}

/**
 * Refuses a payload its platform would refuse: answers 400 and still records the send with
 * its failure outcome, so `GET {hub}/messages/{id}` (id in the error's Location) reports it.
 */
export function rejectInvalidPayload(deps: HandlerDeps, req: NhRequest, send: PreparedSend, collection: string): void {
  const problem = validateNativeNotification(send.notification);
  if (!problem) return;
  const id = deps.newId();
  recordRejectedSend(deps, send, id, problem);
  throw new NhError(400, `The supplied notification payload is invalid: ${problem.message}`, {
    Location: locationOf(req.origin, send.hub, collection, id),
  });
}
