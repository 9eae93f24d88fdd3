/**
 * Exponential backoff with full jitter: a random delay up to `baseMs · 2^(attempt-1)`, capped
 * at `maxMs`, never under a quarter second (so a failing provider is not hammered).
 */
export function backoffMs(
  attempt: number,
  baseMs = 2_000,
  maxMs = 600_000,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(250, Math.floor(random() * ceiling));
}
