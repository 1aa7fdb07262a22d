import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import express, { type NextFunction, type Request, type Response } from "express";
import type { FaultRegistry } from "./faults.js";
import type { HandlerDeps, NhReply, NhRequest } from "./handler-types.js";
import { deleteInstallation, getInstallation, patchInstallation, putInstallation } from "./installation-handlers.js";
import type { SharedAccessPolicy } from "./keys.js";
import { isNhError, NhError, nhErrors, renderErrorXml } from "./nh-errors.js";
import { type OperationName, resolveOperation } from "./operations.js";
import { checkHeaders, checkQuery } from "./request-rules.js";
import { verifySasToken } from "./sas.js";
import { cancelScheduledSend, getNotificationOutcome, scheduleSend } from "./schedule-handlers.js";
import { batchSend, sendNotification } from "./send-handlers.js";

export interface NhRouterDeps {
  handlers: HandlerDeps;
  /** The access policies whose keys the hub accepts. */
  policies: (hub: string) => SharedAccessPolicy[];
  faults: FaultRegistry;
  onUnexpectedError: (error: unknown) => void;
}

const HANDLERS: Record<OperationName, (deps: HandlerDeps, req: NhRequest) => NhReply> = {
  putInstallation,
  patchInstallation,
  getInstallation,
  deleteInstallation,
  send: sendNotification,
  batchSend,
  getNotificationOutcome,
  scheduleSend,
  cancelScheduledSend,
};

/** Bodies up to this size are read; NH's own 64 KB send limit is checked per operation. */
const MAX_READ_BYTES = "5mb";

function headersOf(req: Request): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]),
  );
}

/**
 * The NH pipeline, in order: tracking ids, body, operation, SAS auth, strictness, faults,
 * handler. Every failure is an NhError rendered as NH's XML error body by the last middleware.
 */
export function createNhRouter(deps: NhRouterDeps): express.Router {
  const router = express.Router();

  router.use((_req, res, next) => {
    res.set({ TrackingId: randomUUID(), "x-ms-correlation-request-id": randomUUID() });
    next();
  });

  router.use(express.raw({ type: () => true, limit: MAX_READ_BYTES }));

  router.use(async (req: Request, res: Response) => {
    const url = new URL(req.originalUrl, "http://emulator.invalid");
    const operation = resolveOperation(req.method, url.pathname);
    if (isNhError(operation)) throw operation;

    const verdict = verifySasToken({
      authorization: req.headers.authorization,
      policies: deps.policies(operation.hub),
      host: req.headers.host ?? "",
      path: url.pathname,
      now: deps.handlers.now(),
    });
    if (!verdict.ok) throw nhErrors.unauthorized(verdict.detail);
    if (!verdict.rights.includes(operation.right)) {
      throw nhErrors.unauthorized(`InsufficientClaims: the key '${verdict.keyName}' lacks the ${operation.right} right`);
    }

    const headers = headersOf(req);
    const problem = checkQuery(operation.name, url.searchParams) ?? checkHeaders(operation.name, Object.keys(headers));
    if (problem) throw problem;

    const fault = deps.faults.take(operation.hub);
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.error) throw fault.error;

    const body = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
    const nhRequest: NhRequest = { operation, query: url.searchParams, headers, body, origin: `${req.protocol}://${req.get("host")}` };
    sendReply(res, HANDLERS[operation.name](deps.handlers, nhRequest));
  });

  router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const nhError = toNhError(error, deps.onUnexpectedError);
    res.status(nhError.status).set(nhError.headers).type("application/xml; charset=utf-8");
    res.send(renderErrorXml(nhError, String(res.get("TrackingId")), deps.handlers.now()));
  });

  return router;
}

function sendReply(res: Response, reply: NhReply): void {
  res.status(reply.status).set(reply.headers ?? {});
  if (reply.body === undefined) {
    res.end();
    return;
  }
  res.type(reply.contentType ?? "application/xml").send(reply.body);
}

/** Body-parser failures carry their own 4xx status; anything else is a bug of the emulator. */
function toNhError(error: unknown, onUnexpected: (e: unknown) => void): NhError {
  if (isNhError(error)) return error;
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new NhError(status, (error as Error).message || "The request could not be read");
  }
  onUnexpected(error);
  return new NhError(500, "The emulator failed unexpectedly; see its log");
}
