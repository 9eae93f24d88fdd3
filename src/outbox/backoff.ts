/**
 * The retry schedule: capped exponential with jitter. The n-th retry waits between half and all
 * of `min(capMs, baseMs · 2^(n-1))` — the lower half keeps delays growing (full jitter can draw
 * near zero and burn attempts in seconds), the random half spreads retries of messages that
 * failed together. Once the cap is reached it keeps retrying every `capMs/2..capMs` for as long
 * as the message may be delivered (its TTL), so a whole day's outage is waited out.
 */
export function backoffMs(
  attempt: number,
  baseMs = 2_000,
  capMs = 600_000,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(0, attempt - 1), 40));
  return Math.max(1, Math.floor(ceiling / 2 + random() * (ceiling / 2)));
}
