import type { Request } from "express";
import { z } from "zod";
import { errors } from "../errors.js";
import { READ_STATES, USER_ACTION_STATES, type FeedStateChange, type ReadState, type UserActionState } from "../store/feed.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

const states = <T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.enum(values, { message: `'${name}' must be one of: ${values.join(", ")}` });
const readState = states("readState", READ_STATES);
const userActionState = states("userActionState", USER_ACTION_STATES);

function explain(e: z.ZodError): string {
  return e.issues.map((i) => (i.message.startsWith("'") ? i.message : `'${i.path.join(".") || "body"}' ${i.message}`)).join("; ");
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw errors.invalidRequest(`Invalid ${what}: ${explain(r.error)}.`);
  return r.data;
}

const one = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

/** `targetHostName`, from the query string or (for writes) the body; checked by the owner resolver. */
export function targetHostOf(req: Request): unknown {
  return one(req.query.targetHostName) ?? (req.body as { targetHostName?: unknown } | undefined)?.targetHostName;
}

export interface ListQuery {
  readState?: ReadState;
  userActionState?: UserActionState;
  top: number;
  skipToken?: string;
  count: boolean;
}

const listQuery = z.object({
  readState: readState.optional(),
  userActionState: userActionState.optional(),
  $top: z.coerce.number({ message: "'$top' must be a whole number" }).int("'$top' must be a whole number").min(1, `'$top' must be 1 to ${MAX_PAGE_SIZE}`).max(MAX_PAGE_SIZE, `'$top' must be 1 to ${MAX_PAGE_SIZE}`).optional(),
  $skiptoken: z.string().max(600).optional(),
  $deltatoken: z.string().max(600).optional(),
  $count: z.enum(["true", "false"], { message: "'$count' must be true or false" }).optional(),
});

export function parseListQuery(req: Request): ListQuery & { deltaToken?: string } {
  const q = parse(listQuery, Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, one(v)])), "query");
  return {
    readState: q.readState, userActionState: q.userActionState, top: q.$top ?? DEFAULT_PAGE_SIZE,
    skipToken: q.$skiptoken, deltaToken: q.$deltatoken, count: q.$count === "true",
  };
}

const change = z.strictObject({
  targetHostName: z.string().optional(),
  readState: readState.optional(),
  userActionState: userActionState.optional(),
}, { message: "only readState and userActionState can be changed" });

/** A PATCH body: readState and/or userActionState, nothing else. */
export function parseStateChange(body: unknown): FeedStateChange {
  const c = parse(change, body ?? {}, "change");
  if (c.readState === undefined && c.userActionState === undefined) throw errors.invalidRequest("Invalid change: give readState and/or userActionState.");
  return { readState: c.readState, userActionState: c.userActionState };
}

const bulk = z.strictObject({
  targetHostName: z.string().optional(),
  ids: z.array(z.string().min(1).max(200)).min(1).max(MAX_PAGE_SIZE).optional(),
  all: z.literal(true, { message: "'all' must be true when given" }).optional(),
  readState: readState.optional(),
  userActionState: userActionState.optional(),
});

/** A bulk change: `ids` or `all: true`, with the states to set (markRead sets readState itself). */
export function parseBulkChange(body: unknown, fixed: FeedStateChange = {}): { ids: string[] | "all"; set: FeedStateChange } {
  const c = parse(bulk, body ?? {}, "request");
  if ((c.ids === undefined) === (c.all === undefined)) throw errors.invalidRequest("Invalid request: give either 'ids' (1 to 200 ids) or 'all': true.");
  const set = { readState: fixed.readState ?? c.readState, userActionState: fixed.userActionState ?? c.userActionState };
  if (set.readState === undefined && set.userActionState === undefined) throw errors.invalidRequest("Invalid request: give readState and/or userActionState.");
  return { ids: c.ids ?? "all", set };
}

const INSTALLATION_ID = /^[A-Za-z0-9_@#.:-]{1,100}$/;

/** X-Installation-Id: the device making the change, left out of the sync push. */
export function originInstallationOf(req: Request): string | undefined {
  const id = req.get("X-Installation-Id")?.trim();
  if (id === undefined || id === "") return undefined;
  if (!INSTALLATION_ID.test(id)) throw errors.invalidRequest("The X-Installation-Id header must be 1 to 100 letters, digits or _ @ # . : - (the id the device registered its installation with).");
  return id;
}
