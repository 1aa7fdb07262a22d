import type { Request, Response } from "express";
import { errors } from "../../errors.js";
import { GRAPH_JSON } from "../../legacy/response.js";
import { baseUrlOf } from "../routes/notifications.js";

/** The most items a `/bridge/me` list answers at once, and its default `$top`. */
export const PAGE_SIZE = 100;

/** A list's page request: `$top` (1-100) and `$skiptoken`, the last id of the previous page. */
export function idPageOf(req: Request): { top: number; after?: string } {
  const top = req.query.$top === undefined ? PAGE_SIZE : Number(req.query.$top);
  if (!Number.isInteger(top) || top < 1 || top > PAGE_SIZE) throw errors.invalidRequest(`'$top' must be a whole number from 1 to ${PAGE_SIZE}.`);
  const token = req.query.$skiptoken;
  if (token !== undefined && (typeof token !== "string" || token.length === 0 || token.length > 256)) throw errors.invalidRequest("'$skiptoken' must be the value of a previous page's @odata.nextLink.");
  return { top, after: token };
}

/**
 * Answers `{"value": [...]}` with the first `top` of `rows` (read with limit top + 1, ordered by id),
 * and `@odata.nextLink` to `path` with `keep`'s query parameters when there are more.
 */
export function sendIdPage<T extends { id: string }>(req: Request, res: Response, o: {
  rows: T[]; top: number; view: (row: T) => unknown; path: string; keep?: Record<string, string>; publicBaseUrl?: string;
}): void {
  const page = o.rows.slice(0, o.top);
  const body: Record<string, unknown> = { value: page.map(o.view) };
  if (o.rows.length > o.top) {
    const next = new URLSearchParams({ ...o.keep, $top: String(o.top), $skiptoken: page[page.length - 1].id });
    body["@odata.nextLink"] = `${baseUrlOf(req, o.publicBaseUrl)}${o.path}?${next.toString()}`;
  }
  res.status(200).type(GRAPH_JSON).send(JSON.stringify(body));
}
