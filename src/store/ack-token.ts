import { createHash, timingSafeEqual } from "node:crypto";

const digest = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

/** Constant-time comparison, so response timing does not leak how much of a token was right. */
export function matchesAckToken(expected: string, given: string): boolean {
  return timingSafeEqual(digest(expected), digest(given));
}
