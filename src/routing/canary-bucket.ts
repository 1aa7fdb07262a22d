import { createHash } from "node:crypto";

/** Buckets a canary percentage is counted in: one per percent. */
export const CANARY_BUCKETS = 100;

/**
 * The user's bucket (0-99) on a route: the first four bytes of SHA-256("<route>:<unsId>") as an
 * unsigned big-endian integer, modulo 100. Stable across processes, restarts and releases, so a
 * user's notifications always take the same way; seeded by the route so routes split independently.
 * A user is in a canary of `percent` when bucket < percent: raising the percentage only adds users
 * (10 % -> 50 % keeps the first 10 % in). Same idea as Unleash's gradual rollout (normalized
 * murmur3 of "<groupId>:<userId>"), with a hash Node ships; buckets differ from Unleash's.
 */
export function canaryBucket(route: string, unsId: string): number {
  return createHash("sha256").update(`${route}:${unsId}`, "utf8").digest().readUInt32BE(0) % CANARY_BUCKETS;
}

export const inCanary = (bucket: number, percent: number): boolean => bucket < percent;
