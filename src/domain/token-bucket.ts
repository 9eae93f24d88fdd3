/** A token bucket: `burst` tokens at most, refilled at `perSecond`. */
export interface BucketRule {
  burst: number;
  perSecond: number;
}

/** Tokens in a bucket after `elapsedMs` of refill (never above the burst). */
export function refilled(rule: BucketRule, tokens: number, elapsedMs: number): number {
  return Math.min(rule.burst, tokens + (Math.max(0, elapsedMs) / 1000) * rule.perSecond);
}

/** Whole seconds until one token is available again. */
export function secondsUntilToken(rule: BucketRule, tokens: number): number {
  if (tokens >= 1) return 0;
  return Math.max(1, Math.ceil((1 - tokens) / rule.perSecond));
}
