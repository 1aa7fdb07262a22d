import { describe, expect, it } from "vitest";
import { decideAccept } from "./accept-rules.js";
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
