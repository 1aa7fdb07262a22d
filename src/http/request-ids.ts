import { randomUUID } from "node:crypto";
import type { RequestHandler, Response } from "express";
import type { RequestIds } from "../legacy/response.js";

const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Gives every request Graph's `request-id` and echoes (or mints) `client-request-id`. */
export const assignRequestIds: RequestHandler = (req, res, next) => {
  const requestId = randomUUID();
  const sent = req.get("client-request-id");
  const clientRequestId = sent && CLIENT_REQUEST_ID.test(sent) ? sent : requestId;
  res.locals.ids = { requestId, clientRequestId } satisfies RequestIds;
  res.setHeader("request-id", requestId);
  res.setHeader("client-request-id", clientRequestId);
  next();
};

export const idsOf = (res: Response): RequestIds => res.locals.ids as RequestIds;
