import pg from "pg";
import { decideAccept, existingFromRow, IDEMPOTENCY_WINDOW_MS, outcomeOf, retiredBy, type ExistingNotification } from "../accept-rules.js";
import { DELIVERY_COLUMNS, deliveryValues, insertedNotificationRecord, NOTIFICATION_COLUMNS, notificationValues, toNotificationRecord } from "../records.js";
import type { AcceptInput, AcceptOutcome } from "../store.js";
import { writeFeedInPostgres } from "./postgres-feed-accept.js";

type Row = Record<string, unknown>;

/** One accept's result inside a batch: its outcome, or the error that refused it alone. */
export type BatchResult = { ok: true; outcome: AcceptOutcome } | { ok: false; error: unknown };

const slot = (unsId: string, key: string): string => `${unsId}\u0000${key}`;

interface Planned {
  input: AcceptInput;
  nowMs: number;
  /** State the row is written with: 'replaced' when a later accept of the same batch replaced it. */
  state: "live" | "replaced";
  replacedBy?: string;
  /** A later accept of the batch replaced this one before it was sent: its deliveries start superseded. */
  superseded: boolean;
}

/**
 * The accepts of a batch in one transaction, with the same rules (decideAccept) and the same
 * outcomes as taking them one by one in order: one look-up for all of them, the decisions made
 * here in order (a later accept sees the earlier ones of the batch), then at most three writes.
 * Must run after beginWithAcceptLocks: the per-target advisory locks serialise batches (and
 * processes) touching the same X-UNS-ID, and READ COMMITTED lets each see what the previous
 * holder committed; the unique live index is the backstop. `lookedUp`: the rows of lookUpStatement
 * when it ran in the BEGIN round trip (with the batch's earliest nowMs).
 */
export async function acceptBatchInPostgres(c: pg.PoolClient, batch: Array<{ input: AcceptInput; nowMs: number }>, lookedUp?: Row[]): Promise<BatchResult[]> {
  const { live, byKey } = await lookUp(c, batch.map((b) => b.input), Math.min(...batch.map((b) => b.nowMs)), lookedUp);
  const planned: Planned[] = [];
  const plannedById = new Map<string, Planned>();
  const retireInDb: Array<{ oldId: string; newId: string }> = [];
  const supersedeInDb: string[] = [];
  // A duplicate of a row already stored is answered with that row, read after the writes.
  const decided: Array<BatchResult | { duplicateOfRow: string }> = batch.map(({ input, nowMs }) => {
    const n = input.notification;
    const liveSlot = n.appNotificationId === undefined ? undefined : slot(n.unsId, n.appNotificationId);
    const keySlot = input.idempotencyKey === undefined ? undefined : slot(n.unsId, input.idempotencyKey);
    let decision;
    try {
      decision = decideAccept({
        contentHash: input.contentHash, idempotencyKey: input.idempotencyKey, nowMs,
        byKey: keySlot === undefined ? undefined : byKey.get(keySlot), live: liveSlot === undefined ? undefined : live.get(liveSlot),
      });
    } catch (error) {
      return { ok: false, error };
    }
    if (decision.kind === "duplicate") {
      const earlier = plannedById.get(decision.notificationId);
      if (earlier) return { ok: true, outcome: { outcome: "duplicate", notification: insertedNotificationRecord(earlier.input, earlier.nowMs) } };
      return { duplicateOfRow: decision.notificationId };
    }
    const retireId = retiredBy(decision);
    if (retireId !== undefined) {
      const earlier = plannedById.get(retireId);
      if (earlier) {
        earlier.state = "replaced";
        earlier.replacedBy = n.id;
        if (decision.kind === "replace") earlier.superseded = true;
      } else {
        retireInDb.push({ oldId: retireId, newId: n.id });
        if (decision.kind === "replace") supersedeInDb.push(retireId);
      }
    }
    const p: Planned = { input, nowMs, state: "live", superseded: false };
    planned.push(p);
    plannedById.set(n.id, p);
    const mine: ExistingNotification = { id: n.id, contentHash: input.contentHash, expiresAtMs: n.expiresAt.getTime() };
    if (liveSlot !== undefined) live.set(liveSlot, mine);
    if (keySlot !== undefined) byKey.set(keySlot, mine);
    return { ok: true, outcome: { outcome: outcomeOf(decision), notification: insertedNotificationRecord(input, nowMs) } };
  });

  if (retireInDb.length > 0) await retireAndSupersede(c, retireInDb, supersedeInDb, Math.max(...batch.map((b) => b.nowMs)));
  if (planned.length > 0) await insertPlanned(c, planned);
  const accepted = planned.map((p) => ({ input: p.input, nowMs: p.nowMs, replaced: p.state === "replaced" }));
  await writeFeedInPostgres(c, { accepted, retiredIds: retireInDb.map((r) => r.oldId), nowMs: Math.max(...batch.map((b) => b.nowMs)) });
  const rowIds = [...new Set(decided.flatMap((d) => ("duplicateOfRow" in d ? [d.duplicateOfRow] : [])))];
  const rows = rowIds.length === 0 ? [] : ((await c.query("SELECT * FROM notifications WHERE id = ANY($1::text[])", [rowIds])).rows as Row[]);
  const byId = new Map(rows.map((r) => [String(r.id), toNotificationRecord(r)]));
  return decided.map((d) => ("duplicateOfRow" in d ? { ok: true, outcome: { outcome: "duplicate", notification: byId.get(d.duplicateOfRow)! } } : d));
}

const LOOK_UP = (p: { liveUns: string; liveApp: string; keyUns: string; keyKey: string; after: string }) =>
  `(SELECT 'live' AS kind, id, uns_id, app_notification_id AS k, content_hash, expires_at FROM notifications
      WHERE state = 'live' AND (uns_id, app_notification_id) IN (SELECT * FROM unnest(${p.liveUns}::text[], ${p.liveApp}::text[])))
   UNION ALL
   (SELECT DISTINCT ON (uns_id, idempotency_key) 'key', id, uns_id, idempotency_key, content_hash, expires_at FROM notifications
      WHERE (uns_id, idempotency_key) IN (SELECT * FROM unnest(${p.keyUns}::text[], ${p.keyKey}::text[])) AND created_at > ${p.after}
      ORDER BY uns_id, idempotency_key, created_at DESC)`;

/** What the look-up searches for: undefined when no accept of the batch can collide with a stored row. */
function lookUpValues(inputs: AcceptInput[], nowMs: number): [string[], string[], string[], string[], number] | undefined {
  const withAppId = inputs.filter((i) => i.notification.appNotificationId !== undefined);
  const withKey = inputs.filter((i) => i.idempotencyKey !== undefined);
  if (withAppId.length === 0 && withKey.length === 0) return undefined;
  return [
    withAppId.map((i) => i.notification.unsId), withAppId.map((i) => i.notification.appNotificationId!),
    withKey.map((i) => i.notification.unsId), withKey.map((i) => i.idempotencyKey!), nowMs - IDEMPOTENCY_WINDOW_MS,
  ];
}

/**
 * The look-up as a statement with its values written as literals (escaped by pg), so that it can
 * travel in the BEGIN round trip, which as a simple query takes no parameters: one round trip
 * less per batch, and every round trip of a transaction waits for a turn of a busy event loop.
 * undefined: nothing to look up, or a value a literal cannot carry (a NUL), left to lookUp().
 */
export function lookUpStatement(inputs: AcceptInput[], nowMs: number): string | undefined {
  const v = lookUpValues(inputs, nowMs);
  if (!v || v.slice(0, 4).some((list) => (list as string[]).some((t) => t.includes("\u0000")))) return undefined;
  const array = (list: string[]) => `ARRAY[${list.map((t) => pg.escapeLiteral(t)).join(", ")}]`;
  return LOOK_UP({ liveUns: array(v[0]), liveApp: array(v[1]), keyUns: array(v[2]), keyKey: array(v[3]), after: String(Math.trunc(v[4])) });
}

/** The live rows and the idempotency-key rows any accept of the batch may collide with, in one query (or as read already). */
async function lookUp(c: pg.PoolClient, inputs: AcceptInput[], nowMs: number, lookedUp?: Row[]) {
  const live = new Map<string, ExistingNotification>();
  const byKey = new Map<string, ExistingNotification>();
  const v = lookUpValues(inputs, nowMs);
  if (!v) return { live, byKey };
  const rows = lookedUp ?? ((await c.query(LOOK_UP({ liveUns: "$1", liveApp: "$2", keyUns: "$3", keyKey: "$4", after: "$5" }), v)).rows as Row[]);
  for (const r of rows) (r.kind === "live" ? live : byKey).set(slot(String(r.uns_id), String(r.k)), existingFromRow(r));
  return { live, byKey };
}

/** Retires replaced rows and supersedes their unsent deliveries (before the insert: the live index allows one live row per slot). */
async function retireAndSupersede(c: pg.PoolClient, retire: Array<{ oldId: string; newId: string }>, supersede: string[], nowMs: number): Promise<void> {
  await c.query(
    `WITH retired AS (
       UPDATE notifications n SET state = 'replaced', replaced_by = v.new_id
       FROM unnest($1::text[], $2::text[]) AS v(old_id, new_id) WHERE n.id = v.old_id
     )
     UPDATE deliveries SET state = 'superseded', lease_owner = NULL, lease_expires_at = NULL, updated_at = $3
     WHERE notification_id = ANY($4::text[]) AND state IN ('pending', 'retrying')`,
    [retire.map((r) => r.oldId), retire.map((r) => r.newId), nowMs, supersede],
  );
}

const NOTIFICATION_INSERT_COLUMNS = [...NOTIFICATION_COLUMNS, "replaced_by"];
const STATE_AT = NOTIFICATION_COLUMNS.indexOf("state");
const DELIVERY_STATE_AT = DELIVERY_COLUMNS.indexOf("state");

const INSERT_NOTIFICATIONS = `INSERT INTO notifications (${NOTIFICATION_INSERT_COLUMNS.join(", ")})
  SELECT ${NOTIFICATION_INSERT_COLUMNS.join(", ")} FROM json_populate_recordset(NULL::notifications, $1::json)`;
const INSERT_BOTH = `WITH n AS (${INSERT_NOTIFICATIONS})
  INSERT INTO deliveries (${DELIVERY_COLUMNS.join(", ")}) SELECT ${DELIVERY_COLUMNS.join(", ")} FROM json_populate_recordset(NULL::deliveries, $2::json)`;
const asObject = (columns: readonly string[], row: unknown[]): Record<string, unknown> => Object.fromEntries(columns.map((c, i) => [c, row[i]]));

/**
 * Every notification and delivery row of the batch in one statement, each table's rows as one JSON
 * parameter: the statement's text is the same for every batch (prepared once per connection), and
 * PostgreSQL parses two parameters instead of one per value (about 40 per accept).
 */
async function insertPlanned(c: pg.PoolClient, planned: Planned[]): Promise<void> {
  const notifications = planned.map((p) => {
    const row = notificationValues({ ...p.input, nowMs: p.nowMs });
    row[STATE_AT] = p.state;
    return asObject(NOTIFICATION_INSERT_COLUMNS, [...row, p.replacedBy ?? null]);
  });
  const deliveries = planned.flatMap((p) =>
    p.input.deliveries.map((d) => {
      const row = deliveryValues(d, p.input.notification.id, p.nowMs);
      if (p.superseded) row[DELIVERY_STATE_AT] = "superseded";
      return asObject(DELIVERY_COLUMNS, row);
    }),
  );
  if (deliveries.length === 0) await c.query({ name: "gnb-accept-notifications", text: INSERT_NOTIFICATIONS, values: [JSON.stringify(notifications)] });
  else await c.query({ name: "gnb-accept-both", text: INSERT_BOTH, values: [JSON.stringify(notifications), JSON.stringify(deliveries)] });
}
