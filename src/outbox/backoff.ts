/**
 * Delay before the next attempt. A Retry-After from upstream wins exactly (the upstream told us
 * when); otherwise exponential backoff with full jitter: uniform in [0, min(maxMs, baseMs·2^(attempt-1))].
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function nextAttemptDelay(o: {
  /** The attempt that just failed, 1-based. */
  attempt: number;
  retryAfterMs?: number;
  baseMs: number;
  maxMs: number;
  /** In [0, 1); injected so tests are deterministic. */
  random: () => number;
}): number {
  if (o.retryAfterMs !== undefined) return Math.max(0, o.retryAfterMs);
  const exponent = Math.max(0, o.attempt - 1);
  const ceiling = Math.min(o.maxMs, o.baseMs * 2 ** exponent);
  return Math.round(ceiling * o.random());
}
