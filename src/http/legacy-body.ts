import express, { type RequestHandler } from "express";
import { errors } from "../errors.js";

const ENCODINGS = new Set(["gzip", "deflate", "identity", "x-gzip"]);

/** Graph answered 400 to conditional requests on this POST. */
export const rejectConditionalHeaders: RequestHandler = (req, _res, next) => {
  for (const h of ["If-Modified-Since", "If-Range"]) if (req.get(h) !== undefined) return next(errors.unsupportedConditionalHeader(h));
  next();
};

/** gzip and deflate are accepted (Graph did); anything else is a 415 before a byte is inflated. */
export const checkContentEncoding: RequestHandler = (req, _res, next) => {
  const enc = (req.get("Content-Encoding") ?? "identity").split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
  const bad = enc.find((e) => !ENCODINGS.has(e));
  if (bad !== undefined || enc.length > 1) return next(errors.unsupportedEncoding(bad ?? enc.join(", ")));
  next();
};

/**
 * JSON body of any declared content type (legacy callers were not all careful about it), inflated,
 * limited to maxBytes after inflation, one object only.
 */
export function parseLegacyJson(maxBytes: number): RequestHandler[] {
  return [
    rejectConditionalHeaders,
    checkContentEncoding,
    express.json({ limit: maxBytes, inflate: true, strict: false, type: () => true }),
    (req, _res, next) => {
      const b: unknown = req.body;
      if (Array.isArray(b)) return next(errors.multipleNotifications());
      if (b === undefined || b === null || typeof b !== "object") return next(errors.invalidRequest("The request body must be one JSON object (a notification)."));
      next();
    },
  ];
}
