import express, { Router, type Request, type RequestHandler, type Response } from "express";
import { errors } from "../../errors.js";
import { parseBulkChange, parseListQuery, parseStateChange, originInstallationOf, targetHostOf } from "../../feed/feed-query.js";
import type { ResolveFeedOwner } from "../../feed/feed-owner.js";
import { deltaToken, etagOf, feedItemView, listToken, parseDeltaToken, parseListToken, removedItemView, versionOfIfMatch } from "../../feed/feed-view.js";
import type { SyncPlanner } from "../../feed/plan-sync.js";
import { GRAPH_JSON } from "../../legacy/response.js";
import type { FeedScope, FeedStateChange, FeedStore } from "../../store/feed.js";
import { baseUrlOf, methodNotAllowed } from "./notifications.js";

export interface FeedRouterOptions {
  store: FeedStore;
  now: () => Date;
  /** Authentication and rate limiting, run before every feed route. */
  guard: RequestHandler[];
  resolveOwner: ResolveFeedOwner;
  planSync: SyncPlanner;
  publicBaseUrl?: string;
}

const BASE = "/bridge/me/notifications";
const notFound = (id: string) => errors.notFound(`Notification '${id.slice(0, 64)}'`);
const sendJson = (res: Response, status: number, body: unknown) => res.status(status).type(GRAPH_JSON).send(JSON.stringify(body));

/**
 * The user's feed (docs/clients.md, "The feed"): list, count, one item, delta; PATCH one item's
 * state or change many at once. Every change that alters an item queues silent sync pushes to
 * the user's other devices in the same transaction.
 */
export function createFeedRouter(o: FeedRouterOptions): Router {
  const r = Router();
  const json = express.json({ limit: 16_384, type: () => true });
  const scopeOf = (req: Request, res: Response): Promise<FeedScope> => o.resolveOwner(req, res, targetHostOf(req));
  const linkBase = (req: Request, path: string, scope: FeedScope) =>
    `${baseUrlOf(req, o.publicBaseUrl)}${path}?targetHostName=${encodeURIComponent(scope.targetHostName)}`;

  r.route(BASE).get(...o.guard, async (req, res) => {
    const scope = await scopeOf(req, res);
    const q = parseListQuery(req);
    const before = q.skipToken === undefined ? undefined : parseListToken(q.skipToken);
    if (q.skipToken !== undefined && !before) throw errors.invalidRequest("The $skiptoken is not one this feed issued; start again without it.");
    const filter = { ...scope, now: o.now(), readState: q.readState, userActionState: q.userActionState };
    const items = await o.store.listFeed({ ...filter, limit: q.top + 1, before });
    const page = items.slice(0, q.top);
    const body: Record<string, unknown> = {};
    if (q.count) body["@odata.count"] = await o.store.countFeed(filter);
    body.value = page.map(feedItemView);
    if (items.length > q.top) {
      const keep = new URLSearchParams(Object.entries({ readState: q.readState, userActionState: q.userActionState, $top: String(q.top) }).filter((e): e is [string, string] => e[1] !== undefined));
      body["@odata.nextLink"] = `${linkBase(req, BASE, scope)}&${keep.toString()}&$skiptoken=${listToken(page[page.length - 1])}`;
    }
    sendJson(res, 200, body);
  }).all(methodNotAllowed(["GET"]));

  r.route(`${BASE}/$count`).get(...o.guard, async (req, res) => {
    const scope = await scopeOf(req, res);
    const q = parseListQuery(req);
    const n = await o.store.countFeed({ ...scope, now: o.now(), readState: q.readState, userActionState: q.userActionState });
    res.status(200).type("text/plain").send(String(n));
  }).all(methodNotAllowed(["GET"]));

  r.route(`${BASE}/delta`).get(...o.guard, async (req, res) => {
    const scope = await scopeOf(req, res);
    const q = parseListQuery(req);
    const token = q.deltaToken ?? q.skipToken;
    const afterSeq = token === undefined ? 0 : parseDeltaToken(token);
    if (afterSeq === undefined) throw errors.invalidRequest("The delta token is not one this feed issued; start again without it.");
    const changes = await o.store.feedChangesSince({ ...scope, afterSeq, limit: q.top + 1, now: o.now() });
    const page = changes.items.slice(0, q.top);
    const more = changes.items.length > q.top;
    const lastSeq = more ? page[page.length - 1].changeSeq : changes.lastSeq;
    const link = `${linkBase(req, `${BASE}/delta`, scope)}&${more ? "$skiptoken" : "$deltatoken"}=${deltaToken(lastSeq)}`;
    sendJson(res, 200, { value: page.map((i) => (i.removed ? removedItemView(i) : feedItemView(i))), [more ? "@odata.nextLink" : "@odata.deltaLink"]: link });
  }).all(methodNotAllowed(["GET"]));

  const bulk = (fixed: FeedStateChange) => async (req: Request, res: Response) => {
    const scope = await scopeOf(req, res);
    const { ids, set } = parseBulkChange(req.body, fixed);
    const now = o.now();
    const planSync = o.planSync({ unsId: scope.unsId, originInstallationId: originInstallationOf(req), now });
    const results = await o.store.changeFeedState({ ...scope, ids, set, now, planSync });
    sendJson(res, 200, { value: results.flatMap((x) => (x.item ? [feedItemView(x.item)] : [])) });
  };
  r.route(`${BASE}/markRead`).post(...o.guard, json, bulk({ readState: "read" })).all(methodNotAllowed(["POST"]));
  r.route(`${BASE}/changeState`).post(...o.guard, json, bulk({})).all(methodNotAllowed(["POST"]));

  r.route(`${BASE}/:id`)
    .get(...o.guard, async (req, res) => {
      const id = String(req.params.id);
      const item = await o.store.getFeedItem({ ...(await scopeOf(req, res)), id, now: o.now() });
      if (!item) throw notFound(id);
      res.set("ETag", etagOf(item));
      sendJson(res, 200, feedItemView(item));
    })
    .patch(...o.guard, json, async (req, res) => {
      const id = String(req.params.id);
      const scope = await scopeOf(req, res);
      const set = parseStateChange(req.body);
      const ifMatch = req.get("If-Match");
      const ifVersion = ifMatch === undefined ? undefined : versionOfIfMatch(ifMatch);
      const now = o.now();
      const planSync = o.planSync({ unsId: scope.unsId, originInstallationId: originInstallationOf(req), now });
      const [result] = await o.store.changeFeedState({ ...scope, ids: [id], set, ifVersion, now, planSync });
      if (!result.item) throw notFound(id);
      if (result.outcome === "stale") throw errors.preconditionFailed(`Notification '${id.slice(0, 64)}' has changed since ${ifMatch}; it is now ${etagOf(result.item)}. Read it again and retry.`);
      res.set("ETag", etagOf(result.item));
      sendJson(res, 200, feedItemView(result.item));
    })
    .all(methodNotAllowed(["GET", "PATCH"]));
  return r;
}
