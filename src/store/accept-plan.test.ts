import { describe, expect, it } from "vitest";
import { anAcceptInput, aDeliveryInput, T0 } from "../../test/store/fixtures.js";
import { answerOf, planAccepts, plannedDeliveryValues, type AcceptPlan, type AcceptRequest } from "./accept-plan.js";
import { DELIVERY_COLUMNS, NOTIFICATION_COLUMNS, notificationValues, toNotificationRecord } from "./records.js";
import { IdempotencyConflictError } from "./store.js";

const now = T0.getTime();
const stored = (id: string, contentHash = "hash-1", expiresAtMs = now + 1000) => ({ id, contentHash, expiresAtMs });
const one = (o: Parameters<typeof anAcceptInput>[0] = {}, nowMs = now): AcceptRequest => ({ input: anAcceptInput(o), nowMs });
const idOf = (r: AcceptRequest) => r.input.notification.id;
/** What the plan writes, by id, for comparing whole plans. */
const writes = (p: AcceptPlan) => ({
  retire: p.retire, supersede: p.supersede,
  insert: p.insert.map((r) => ({ id: r.id, state: r.state, replacedBy: r.replacedBy, superseded: r.superseded })),
});
const kinds = (p: AcceptPlan) => p.outcomes.map((o) => (o.kind === "accepted" ? o.outcome : o.kind));

describe("planAccepts, one accept against stored rows", () => {
  it("creates when nothing is stored: one live row, nothing retired", () => {
    const a = one({ notification: { appNotificationId: "x" } });
    const plan = planAccepts([a], [{}]);
    expect(kinds(plan)).toEqual(["created"]);
    expect(writes(plan)).toEqual({ retire: [], supersede: [], insert: [{ id: idOf(a), state: "live", replacedBy: undefined, superseded: false }] });
  });

  it("rule 1: a stored row with the same key and content makes it a duplicate of that row; nothing is written", () => {
    const plan = planAccepts([one({ idempotencyKey: "k" })], [{ byKey: stored("s") }]);
    expect(plan.outcomes).toEqual([{ kind: "duplicate-of-stored", id: "s" }]);
    expect(writes(plan)).toEqual({ retire: [], supersede: [], insert: [] });
  });

  it("rule 1: the same key with other content is refused with a conflict; nothing is written", () => {
    const plan = planAccepts([one({ idempotencyKey: "k", contentHash: "hash-2" })], [{ byKey: stored("s") }]);
    expect(plan.outcomes[0]).toMatchObject({ kind: "refused", error: expect.any(IdempotencyConflictError) });
    expect(writes(plan)).toEqual({ retire: [], supersede: [], insert: [] });
  });

  it("rule 2: a live stored row with other content is retired and its unsent deliveries superseded", () => {
    const a = one({ notification: { appNotificationId: "x" }, contentHash: "hash-2" });
    const plan = planAccepts([a], [{ live: stored("s") }]);
    expect(kinds(plan)).toEqual(["replaced"]);
    expect(writes(plan)).toMatchObject({ retire: [{ oldId: "s", newId: idOf(a) }], supersede: ["s"], insert: [{ id: idOf(a), state: "live" }] });
  });

  it("rule 2: an expired live row is retired quietly (nothing superseded) and the accept is a create", () => {
    const a = one({ notification: { appNotificationId: "x" } });
    const plan = planAccepts([a], [{ live: stored("s", "hash-1", now) }]);
    expect(kinds(plan)).toEqual(["created"]);
    expect(writes(plan)).toMatchObject({ retire: [{ oldId: "s", newId: idOf(a) }], supersede: [] });
  });
});

describe("planAccepts, a later accept sees the earlier ones of its batch", () => {
  it("the same app id and content again is a duplicate of the earlier accept, not of a stored row", () => {
    const [a, b] = [one({ notification: { appNotificationId: "x" } }), one({ notification: { appNotificationId: "x" } })];
    const plan = planAccepts([a, b], [{}, {}]);
    expect(plan.outcomes[1]).toMatchObject({ kind: "duplicate", of: { id: idOf(a) } });
    expect(plan.insert.map((r) => r.id)).toEqual([idOf(a)]);
  });

  it("the same idempotency key: a duplicate with the same content, a conflict naming the earlier accept otherwise", () => {
    const [a, b, c] = [one({ idempotencyKey: "k" }), one({ idempotencyKey: "k" }), one({ idempotencyKey: "k", contentHash: "hash-2" })];
    const plan = planAccepts([a, b, c], [{}, {}, {}]);
    expect(kinds(plan)).toEqual(["created", "duplicate", "refused"]);
    expect(plan.outcomes[2]).toMatchObject({ error: { existingNotificationId: idOf(a) } });
  });

  it("an earlier accept of the batch wins over the stored row the look-up found for the same key", () => {
    const [a, b] = [one({ idempotencyKey: "k", notification: { appNotificationId: "x" } }), one({ idempotencyKey: "k", notification: { appNotificationId: "x" } })];
    // a replaces the stored live row s; b's look-up saw s too, but must see a
    const plan = planAccepts([a, b], [{ live: stored("s", "hash-0") }, { live: stored("s", "hash-0") }]);
    expect(kinds(plan)).toEqual(["replaced", "duplicate"]);
  });

  it("replacing an earlier accept writes that row as replaced with its deliveries superseded, and retires nothing stored", () => {
    const a = one({ notification: { appNotificationId: "x" } });
    const b = one({ notification: { appNotificationId: "x" }, contentHash: "hash-2" });
    const plan = planAccepts([a, b], [{}, {}]);
    expect(kinds(plan)).toEqual(["created", "replaced"]);
    expect(writes(plan)).toEqual({
      retire: [], supersede: [],
      insert: [
        { id: idOf(a), state: "replaced", replacedBy: idOf(b), superseded: true },
        { id: idOf(b), state: "live", replacedBy: undefined, superseded: false },
      ],
    });
  });

  it("an earlier accept that has expired by the later one's time is retired without superseding", () => {
    const a = one({ notification: { appNotificationId: "x", expiresAt: new Date(now + 1) } });
    const b = one({ notification: { appNotificationId: "x" } }, now + 1);
    const plan = planAccepts([a, b], [{}, {}]);
    expect(kinds(plan)).toEqual(["created", "created"]);
    expect(writes(plan).insert[0]).toEqual({ id: idOf(a), state: "replaced", replacedBy: idOf(b), superseded: false });
  });

  it("a chain: the stored row is retired by the first accept, which the second replaces", () => {
    const a = one({ notification: { appNotificationId: "x" }, contentHash: "hash-2" });
    const b = one({ notification: { appNotificationId: "x" }, contentHash: "hash-3" });
    const plan = planAccepts([a, b], [{ live: stored("s") }, { live: stored("s") }]);
    expect(kinds(plan)).toEqual(["replaced", "replaced"]);
    expect(writes(plan)).toMatchObject({
      retire: [{ oldId: "s", newId: idOf(a) }], supersede: ["s"],
      insert: [{ id: idOf(a), state: "replaced", replacedBy: idOf(b), superseded: true }, { id: idOf(b), state: "live" }],
    });
  });

  it("a refused accept changes nothing for the ones after it; other slots and users are apart", () => {
    const a = one({ idempotencyKey: "k", contentHash: "hash-2", notification: { appNotificationId: "x" } });
    const b = one({ notification: { appNotificationId: "x" }, contentHash: "hash-2" });
    const c = one({ notification: { appNotificationId: "x", unsId: "uns-bob" }, contentHash: "hash-2" });
    const plan = planAccepts([a, b, c], [{ byKey: stored("s") }, { live: stored("t") }, {}]);
    expect(kinds(plan)).toEqual(["refused", "replaced", "created"]);
    expect(writes(plan)).toMatchObject({ retire: [{ oldId: "t", newId: idOf(b) }], supersede: ["t"] });
  });
});

describe("what the stores write and answer from a plan", () => {
  it("a planned row's values carry its state and replaced_by; its deliveries start superseded when it was replaced in the batch", () => {
    const a = one({ notification: { appNotificationId: "x" }, deliveries: [aDeliveryInput()] });
    const b = one({ notification: { appNotificationId: "x" }, contentHash: "hash-2", deliveries: [aDeliveryInput()] });
    const [ra, rb] = planAccepts([a, b], [{}, {}]).insert;
    const row = (values: unknown[], columns: readonly string[]) => Object.fromEntries(columns.map((c, i) => [c, values[i]]));
    expect(row(notificationValues(ra), NOTIFICATION_COLUMNS)).toMatchObject({ id: idOf(a), state: "replaced", replaced_by: idOf(b), created_at: now });
    expect(row(notificationValues(rb), NOTIFICATION_COLUMNS)).toMatchObject({ state: "live", replaced_by: null });
    expect(row(plannedDeliveryValues(ra, a.input.deliveries[0]), DELIVERY_COLUMNS)).toMatchObject({ notification_id: idOf(a), state: "superseded" });
    expect(row(plannedDeliveryValues(rb, b.input.deliveries[0]), DELIVERY_COLUMNS)).toMatchObject({ notification_id: idOf(b), state: "pending" });
  });

  it("answers an accepted or in-batch duplicate with the planned row, a stored duplicate with the row the store reads", () => {
    const [a, b] = [one({ idempotencyKey: "k" }), one({ idempotencyKey: "k" })];
    const c = one({ idempotencyKey: "j" });
    const plan = planAccepts([a, b, c], [{}, {}, { byKey: stored("s") }]);
    const storedRow = toNotificationRecord({
      id: "s", uns_id: "uns-alice", content_hash: "hash-1", body: JSON.stringify(c.input.notification), response: "{}",
      ack_token: "t", created_at: 1, expires_at: 2, state: "live",
    });
    const answers = plan.outcomes.map((o) => (o.kind === "refused" ? o : answerOf(o, (id) => ({ ...storedRow, id }))));
    expect(answers).toMatchObject([
      { outcome: "created", notification: { id: idOf(a), state: "live", createdAt: T0 } },
      { outcome: "duplicate", notification: { id: idOf(a) } },
      { outcome: "duplicate", notification: { id: "s" } },
    ]);
  });
});
