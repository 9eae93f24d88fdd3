/** Exponential backoff with full jitter: attempt 1 → up to 2 s, doubling, capped at 10 min. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(600_000, 2_000 * 2 ** Math.max(0, attempt - 1));
  return Math.max(250, Math.floor(random() * ceiling));
}
