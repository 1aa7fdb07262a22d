import type { RequestHandler, Response } from "express";
import type { Caller } from "../auth/types.js";

export type Authenticate = (authorizationHeader: string | undefined) => Promise<Caller>;

export const anonymous: Authenticate = async () => ({ kind: "anonymous" });

/** Puts the verified caller on res.locals.caller (and its app id for the request log). */
export function authenticateCaller(authenticate: Authenticate): RequestHandler {
  return async (req, res, next) => {
    try {
      const caller = await authenticate(req.get("Authorization"));
      res.locals.caller = caller;
      if (caller.kind !== "anonymous") res.locals.callerAppId = caller.appId;
      next();
    } catch (e) {
      next(e);
    }
  };
}

export const callerOf = (res: Response): Caller => res.locals.caller as Caller;

/** The bearer token itself, for GRAPH_AUTH=passthrough. */
export function bearerTokenOf(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return m?.[1];
}
