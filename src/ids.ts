import { randomFillSync } from "node:crypto";
import { v7 } from "uuid";

// Random bytes are drawn from the CSPRNG a few kilobytes at a time (as Node's randomUUID does):
// one syscall-sized fill serves hundreds of ids instead of one fill each.
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

function randomBytesFromPool(n: number): Buffer {
  if (offset + n > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + n)); // a copy: the pool is refilled later
  offset += n;
  return out;
}

/**
 * A time-ordered UUID (RFC 9562 version 7): ids made in the same moment sort together, so store
 * inserts land at the right edge of each B-tree instead of on random pages.
 */
export function newTimeOrderedId(): string {
  const random = randomBytesFromPool(16);
  const now = Date.now();
  // RFC 9562 method 1: a counter seeded at random each new millisecond keeps ids of one
  // millisecond in creation order (31 bits; the top bit starts clear, leaving room to count).
  if (now > lastMs) {
    lastMs = now;
    seq = random.readUInt32BE(6) & 0x7fffffff;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMs++;
  }
  return v7({ random, msecs: lastMs, seq });
}
let lastMs = -Infinity;
let seq = 0;

/** An unguessable URL-safe token of `bytes` random bytes (the acknowledgement token). */
export const newSecretToken = (bytes = 18): string => randomBytesFromPool(bytes).toString("base64url");
