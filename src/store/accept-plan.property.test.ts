import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anAcceptInput } from "../../test/store/fixtures.js";
import { planAccepts, type AcceptPlan, type AcceptRequest, type PlannedOutcome, type StoredMatches } from "./accept-plan.js";
import { IDEMPOTENCY_WINDOW_MS } from "./accept-rules.js";
import { IdempotencyConflictError } from "./store.js";

/** A database in memory: the notifications and deliveries columns the accept rules read and write. */
interface ModelRow {
  id: string; unsId: string; appId?: string; key?: string; contentHash: string;
  createdAtMs: number; expiresAtMs: number; state: "live" | "replaced"; replacedBy?: string;
}
interface Model { rows: ModelRow[]; deliveries: Map<string, { notificationId: string; state: string }> }

/** The stores' look-up (sqlite-accept.ts, postgres-accept-batch.ts) over the model. */
function lookUp(db: Model, { input }: AcceptRequest, windowFromMs: number): StoredMatches {
  const n = input.notification;
  const byKey = db.rows.filter((r) => input.idempotencyKey !== undefined && r.unsId === n.unsId && r.key === input.idempotencyKey && r.createdAtMs > windowFromMs)
    .sort((a, b) => b.createdAtMs - a.createdAtMs)[0];
  const live = db.rows.find((r) => n.appNotificationId !== undefined && r.unsId === n.unsId && r.appId === n.appNotificationId && r.state === "live");
  return { byKey, live };
}

/** The stores' writes of a plan, over the model; throws where the unique live index would. */
function apply(db: Model, plan: AcceptPlan): void {
  for (const { oldId, newId } of plan.retire) Object.assign(db.rows.find((r) => r.id === oldId)!, { state: "replaced", replacedBy: newId });
  for (const d of db.deliveries.values()) if (plan.supersede.includes(d.notificationId) && ["pending", "retrying"].includes(d.state)) d.state = "superseded";
  for (const p of plan.insert) {
    const n = p.input.notification;
    if (p.state === "live" && db.rows.some((r) => r.state === "live" && n.appNotificationId !== undefined && r.unsId === n.unsId && r.appId === n.appNotificationId)) {
      throw new Error(`unique live index: ${n.unsId}/${n.appNotificationId}`);
    }
    db.rows.push({
      id: p.id, unsId: n.unsId, appId: n.appNotificationId, key: p.input.idempotencyKey, contentHash: p.contentHash,
      createdAtMs: p.nowMs, expiresAtMs: p.expiresAtMs, state: p.state, replacedBy: p.replacedBy,
    });
    for (const d of p.input.deliveries) db.deliveries.set(d.id, { notificationId: p.id, state: p.superseded ? "superseded" : "pending" });
  }
}

/** What the caller hears, by id (a duplicate of an earlier accept and of its stored row are the same answer). */
const heard = (o: PlannedOutcome) => {
  switch (o.kind) {
    case "accepted": return { outcome: o.outcome, id: o.row.id };
    case "duplicate": return { outcome: "duplicate", id: o.of.id };
    case "duplicate-of-stored": return { outcome: "duplicate", id: o.id };
    case "refused": return { refused: (o.error as IdempotencyConflictError).existingNotificationId };
  }
};

/** Accepts that collide often: two users, two app ids, two keys, two contents, expiries around the batch's time. */
const T = Date.UTC(2026, 11, 5);
const anAccept = fc.record({
  unsId: fc.constantFrom("u1", "u2"),
  appId: fc.option(fc.constantFrom("a1", "a2"), { nil: undefined }),
  key: fc.option(fc.constantFrom("k1", "k2"), { nil: undefined }),
  contentHash: fc.constantFrom("h1", "h2"),
  expiresInMs: fc.integer({ min: -3, max: 6 }),
  afterMs: fc.nat(2),
});
type Spec = { unsId: string; appId?: string; key?: string; contentHash: string; expiresInMs: number; afterMs: number };
let ids = 0;
/** The specs as requests, each later than the one before (by afterMs), starting at `startMs`. */
function requests(specs: Spec[], startMs: number): AcceptRequest[] {
  let nowMs = startMs;
  return specs.map((s) => {
    nowMs += s.afterMs;
    const id = `n${++ids}`;
    const input = anAcceptInput({
      notification: { id, unsId: s.unsId, appNotificationId: s.appId, expiresAt: new Date(nowMs + s.expiresInMs) },
      idempotencyKey: s.key, contentHash: s.contentHash, deliveries: [{ ...anAcceptInput().deliveries[0], id: `d-${id}` }],
    });
    return { input, nowMs };
  });
}

/** Each accept planned alone against the model as the ones before it left it: what the SQLite store does. */
function oneByOne(db: Model, batch: AcceptRequest[]) {
  return batch.map((r) => {
    const plan = planAccepts([r], [lookUp(db, r, r.nowMs - IDEMPOTENCY_WINDOW_MS)]);
    apply(db, plan);
    return heard(plan.outcomes[0]);
  });
}

const snapshot = (db: Model) => ({ rows: [...db.rows].sort((a, b) => a.id.localeCompare(b.id)), deliveries: Object.fromEntries(db.deliveries) });
const copy = (db: Model): Model => ({ rows: db.rows.map((r) => ({ ...r })), deliveries: new Map([...db.deliveries].map(([k, v]) => [k, { ...v }])) });

describe("planAccepts, a batch against one by one", () => {
  it("gives the same outcomes and the same final rows as planning its accepts one by one in order", () => {
    fc.assert(
      fc.property(
        // Stored before the batch: some a day old (outside the key window), some recent; some deliveries already sent.
        fc.array(anAccept, { maxLength: 6 }), fc.array(anAccept, { maxLength: 6 }), fc.array(fc.boolean(), { maxLength: 12 }),
        fc.array(anAccept, { minLength: 1, maxLength: 12 }),
        (old, recent, sent, specs) => {
          const db: Model = { rows: [], deliveries: new Map() };
          oneByOne(db, requests(old, T - IDEMPOTENCY_WINDOW_MS - 1000));
          oneByOne(db, requests(recent, T - 100));
          [...db.deliveries.values()].forEach((d, i) => { if (sent[i] && d.state === "pending") d.state = "sent"; });
          const batch = requests(specs, T);

          const sequential = copy(db);
          const expected = oneByOne(sequential, batch);
          // The batch's look-up runs once, before any of it is written, with its earliest time (PostgreSQL's).
          const plan = planAccepts(batch, batch.map((r) => lookUp(db, r, batch[0].nowMs - IDEMPOTENCY_WINDOW_MS)));
          apply(db, plan);
          expect(plan.outcomes.map(heard)).toEqual(expected);
          expect(snapshot(db)).toEqual(snapshot(sequential));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("refuses a reused key with other content the same way in both", () => {
    const [a, b] = requests([{ unsId: "u1", key: "k1", contentHash: "h1", expiresInMs: 5, afterMs: 0 }, { unsId: "u1", key: "k1", contentHash: "h2", expiresInMs: 5, afterMs: 0 }], T);
    const plan = planAccepts([a, b], [{}, {}]);
    expect(plan.outcomes[1]).toMatchObject({ kind: "refused", error: expect.any(IdempotencyConflictError) });
    expect(oneByOne({ rows: [], deliveries: new Map() }, [a, b])).toEqual(plan.outcomes.map(heard));
  });
});
