import pg from "pg";
import { answerOf, planAccepts, plannedDeliveryValues, slot, type AcceptRequest, type PlannedRow, type StoredMatches } from "../accept-plan.js";
import { existingFromRow, IDEMPOTENCY_WINDOW_MS, type ExistingNotification } from "../accept-rules.js";
import { DELIVERY_COLUMNS, NOTIFICATION_COLUMNS, notificationValues, toNotificationRecord } from "../records.js";
import type { AcceptInput, AcceptOutcome } from "../store.js";
import { feedQuery } from "./postgres-feed-accept.js";
import type { FinalWrites } from "./postgres-transaction.js";

type Row = Record<string, unknown>;

/** One accept's result inside a batch: its outcome, or the error that refused it alone. */
export type BatchResult = { ok: true; outcome: AcceptOutcome } | { ok: false; error: unknown };


/**
 * The accepts of a batch in one transaction, planned by planAccepts (the same rules and outcomes
 * as taking them one by one in order): one look-up for all of them, the plan, then the writes,
 * returned as statements to send with the COMMIT in one round trip (withTransactionEndingInWrites).
 * Must run after beginWithAcceptLocks: the per-target advisory locks serialise batches
 * (and processes) touching the same X-UNS-ID, and READ COMMITTED lets each see what the previous
 * holder committed; the unique live index is the backstop. `lookedUp`: the rows of lookUpStatement
 * when it ran in the BEGIN round trip (with the batch's earliest nowMs).
 */
export async function acceptBatchInPostgres(c: pg.PoolClient, batch: AcceptRequest[], lookedUp?: Row[]): Promise<FinalWrites<BatchResult[]>> {
  const stored = await lookUp(c, batch.map((b) => b.input), Math.min(...batch.map((b) => b.nowMs)), lookedUp);
  const plan = planAccepts(batch, stored);
  const nowMs = Math.max(...batch.map((b) => b.nowMs));
  const accepted = plan.insert.map((p) => ({ input: p.input, nowMs: p.nowMs, replaced: p.state === "replaced" }));
  const statements = [
    plan.retire.length > 0 ? retireQuery(plan.retire, plan.supersede, nowMs) : undefined,
    plan.insert.length > 0 ? insertQuery(plan.insert) : undefined,
    feedQuery({ accepted, retiredIds: plan.retire.map((r) => r.oldId), nowMs }),
  ].filter((x): x is pg.QueryConfig => x !== undefined);
  // A duplicate of a row already stored is answered with that row, read after the writes.
  const rowIds = [...new Set(plan.outcomes.flatMap((o) => (o.kind === "duplicate-of-stored" ? [o.id] : [])))];
  if (rowIds.length > 0) statements.push({ text: "SELECT * FROM notifications WHERE id = ANY($1::text[])", values: [rowIds] });
  return {
    statements,
    finish: (results) => {
      const rows = rowIds.length === 0 ? [] : (results[results.length - 1] as Row[]);
      const byId = new Map(rows.map((r) => [String(r.id), toNotificationRecord(r)]));
      return plan.outcomes.map((o) => (o.kind === "refused" ? { ok: false, error: o.error } : { ok: true, outcome: answerOf(o, (id) => byId.get(id)!) }));
    },
  };
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

/** What each accept of the batch may collide with (live rows, idempotency-key rows), in one query (or as read already). */
async function lookUp(c: pg.PoolClient, inputs: AcceptInput[], nowMs: number, lookedUp?: Row[]): Promise<StoredMatches[]> {
  const v = lookUpValues(inputs, nowMs);
  if (!v) return inputs.map(() => ({}));
  const live = new Map<string, ExistingNotification>();
  const byKey = new Map<string, ExistingNotification>();
  const rows = lookedUp ?? ((await c.query(LOOK_UP({ liveUns: "$1", liveApp: "$2", keyUns: "$3", keyKey: "$4", after: "$5" }), v)).rows as Row[]);
  for (const r of rows) (r.kind === "live" ? live : byKey).set(slot(String(r.uns_id), String(r.k)), existingFromRow(r));
  return inputs.map(({ notification: n, idempotencyKey }) => ({
    live: n.appNotificationId === undefined ? undefined : live.get(slot(n.unsId, n.appNotificationId)),
    byKey: idempotencyKey === undefined ? undefined : byKey.get(slot(n.unsId, idempotencyKey)),
  }));
}

/** Retires replaced rows and supersedes their unsent deliveries (before the insert: the live index allows one live row per slot). */
function retireQuery(retire: Array<{ oldId: string; newId: string }>, supersede: string[], nowMs: number): pg.QueryConfig {
  return {
    text: `WITH retired AS (
       UPDATE notifications n SET state = 'replaced', replaced_by = v.new_id
       FROM unnest($1::text[], $2::text[]) AS v(old_id, new_id) WHERE n.id = v.old_id
     )
     UPDATE deliveries SET state = 'superseded', lease_owner = NULL, lease_expires_at = NULL, updated_at = $3
     WHERE notification_id = ANY($4::text[]) AND state IN ('pending', 'retrying')`,
    values: [retire.map((r) => r.oldId), retire.map((r) => r.newId), nowMs, supersede],
  };
}

const INSERT_NOTIFICATIONS = `INSERT INTO notifications (${NOTIFICATION_COLUMNS.join(", ")})
  SELECT ${NOTIFICATION_COLUMNS.join(", ")} FROM json_populate_recordset(NULL::notifications, $1::json)`;
const INSERT_BOTH = `WITH n AS (${INSERT_NOTIFICATIONS})
  INSERT INTO deliveries (${DELIVERY_COLUMNS.join(", ")}) SELECT ${DELIVERY_COLUMNS.join(", ")} FROM json_populate_recordset(NULL::deliveries, $2::json)`;
const asObject = (columns: readonly string[], row: unknown[]): Record<string, unknown> => Object.fromEntries(columns.map((c, i) => [c, row[i]]));

/**
 * Every notification and delivery row of the batch in one statement, each table's rows as one JSON
 * parameter: the statement's text is the same for every batch (prepared once per connection), and
 * PostgreSQL parses two parameters instead of one per value (about 40 per accept).
 */
function insertQuery(planned: PlannedRow[]): pg.QueryConfig {
  const notifications = planned.map((p) => asObject(NOTIFICATION_COLUMNS, notificationValues(p)));
  const deliveries = planned.flatMap((p) => p.input.deliveries.map((d) => asObject(DELIVERY_COLUMNS, plannedDeliveryValues(p, d))));
  if (deliveries.length === 0) return { name: "gnb-accept-notifications", text: INSERT_NOTIFICATIONS, values: [JSON.stringify(notifications)] };
  return { name: "gnb-accept-both", text: INSERT_BOTH, values: [JSON.stringify(notifications), JSON.stringify(deliveries)] };
}
