import { Code } from "@connectrpc/connect";
import { UsherError } from "../errors/usher-error.ts";
import type { CodeKind } from "./code-kind.ts";
import { type BucketRule, refilled, secondsUntilToken } from "./token-bucket.ts";

/** The send throttle's settings (`USHER_THROTTLE_*`). */
export interface SendLimits {
  throttleEnabled: boolean;
  throttleUserBurst: number;
  throttleUserInterval: number;
  throttleRecipientPerHour: number;
}

/** A durable token bucket: its key in `send_throttle` and its rule. */
export interface Bucket {
  key: string;
  rule: BucketRule;
}

/** The bucket of one user's codes of a kind: a burst, then one per interval. */
export function userBucket(c: SendLimits, orgId: string, userId: string, kind: CodeKind): Bucket {
  return {
    key: `u:${orgId}:${userId}:${kind}`,
    rule: { burst: c.throttleUserBurst, perSecond: 1000 / c.throttleUserInterval },
  };
}

/** The bucket of one recipient address, whoever sends to it: so many an hour. */
export function recipientBucket(c: SendLimits, email: string): Bucket {
  return {
    key: `r:${email.toLowerCase()}`,
    rule: { burst: c.throttleRecipientPerHour, perSecond: c.throttleRecipientPerHour / 3600 },
  };
}

/**
 * The refusal of a send whose bucket is empty: RESOURCE_EXHAUSTED with the seconds until a
 * token is back (from the bucket's stored state) and which limit it was.
 */
export function throttled(
  bucket: Bucket,
  limit: "user" | "recipient",
  state: { tokens: number; updatedAt: Date } | undefined,
  now: Date,
): UsherError {
  const tokens = state ? refilled(bucket.rule, state.tokens, now.getTime() - state.updatedAt.getTime()) : 0;
  return new UsherError({
    code: Code.ResourceExhausted,
    id: "USHER-THR29",
    key: "Errors.Limits.Throttled",
    details: { retry_after_seconds: secondsUntilToken(bucket.rule, tokens), limit },
  });
}
