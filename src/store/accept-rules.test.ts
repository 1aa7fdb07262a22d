import { describe, expect, it } from "vitest";
import { decideAccept, existingFromRow, outcomeOf, retiredBy } from "./accept-rules.js";
import { IdempotencyConflictError } from "./store.js";

const now = 1_000_000;
const existing = (id: string, contentHash = "h", expiresAtMs = now + 1) => ({ id, contentHash, expiresAtMs });

describe("decideAccept", () => {
  it("creates when nothing matches", () => {
    expect(decideAccept({ contentHash: "h", nowMs: now })).toEqual({ kind: "create" });
  });

  it("rule 1: same idempotency key and content is a duplicate of the original", () => {
    expect(decideAccept({ contentHash: "h", idempotencyKey: "k", byKey: existing("a"), nowMs: now }))
      .toEqual({ kind: "duplicate", notificationId: "a" });
  });

  it("rule 1: same idempotency key with other content is a conflict", () => {
    expect(() => decideAccept({ contentHash: "x", idempotencyKey: "k", byKey: existing("a"), nowMs: now }))
      .toThrow(IdempotencyConflictError);
  });

  it("rule 1 wins over rule 2 when both match", () => {
    expect(decideAccept({ contentHash: "h", idempotencyKey: "k", byKey: existing("a"), live: existing("b", "z"), nowMs: now }))
      .toEqual({ kind: "duplicate", notificationId: "a" });
  });

  it("rule 2: a live notification with the same app id and content is a duplicate", () => {
    expect(decideAccept({ contentHash: "h", live: existing("b"), nowMs: now })).toEqual({ kind: "duplicate", notificationId: "b" });
  });

  it("rule 2: a live notification with other content is replaced", () => {
    expect(decideAccept({ contentHash: "x", live: existing("b"), nowMs: now })).toEqual({ kind: "replace", replaceId: "b" });
  });

  it("rule 2: an expired one is not live: create, retiring the old row", () => {
    expect(decideAccept({ contentHash: "h", live: existing("b", "h", now), nowMs: now })).toEqual({ kind: "create", retireId: "b" });
  });

  it("an unmatched idempotency key falls through to rule 2", () => {
    expect(decideAccept({ contentHash: "x", idempotencyKey: "k", live: existing("b"), nowMs: now }))
      .toEqual({ kind: "replace", replaceId: "b" });
  });
});

describe("what a create or replace writes", () => {
  it("a replace retires the row it replaces and reports replaced", () => {
    const d = { kind: "replace", replaceId: "b" } as const;
    expect([retiredBy(d), outcomeOf(d)]).toEqual(["b", "replaced"]);
  });

  it("a create retires the expired row holding the slot, if there is one, and reports created", () => {
    expect([retiredBy({ kind: "create", retireId: "b" }), outcomeOf({ kind: "create", retireId: "b" })]).toEqual(["b", "created"]);
    expect([retiredBy({ kind: "create" }), outcomeOf({ kind: "create" })]).toEqual([undefined, "created"]);
  });

  it("reads a looked-up row's id, content hash and expiry (a BIGINT may come back as a string)", () => {
    expect(existingFromRow({ id: "a", content_hash: "h", expires_at: "1000", other: 1 })).toEqual({ id: "a", contentHash: "h", expiresAtMs: 1000 });
  });
});
