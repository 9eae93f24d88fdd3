import { Code } from "@connectrpc/connect";
import type { Queryable } from "../db/types.ts";
import type { CodeKind } from "../domain/code-kind.ts";
import { type BucketRule, refilled, secondsUntilToken } from "../domain/token-bucket.ts";
import type { User } from "../domain/user.ts";
import { UsherError } from "../errors/usher-error.ts";
import { throttleQueries } from "../queries/throttle.ts";
import type { CommandDeps } from "./deps.ts";

/**
 * Applies the send throttle (DESIGN §4) before a code is mailed, inside the command's
 * transaction: one token from the user's bucket for this kind of code (burst 3, one more a
 * minute by default) and one from the recipient address's bucket (10 an hour). When either is
 * empty the call fails with RESOURCE_EXHAUSTED and a retry delay; the transaction rolls back,
 * so nothing changes and nothing is sent. A user's first code of a kind (`first`) takes no
 * token from the user's bucket: the burst guards against repeated sends to one user, and a
 * first invite is none (a bulk invite of thousands must not write a bucket per user); the
 * recipient's cap applies to every send.
 */
export async function throttleSend(
  tx: Queryable,
  deps: CommandDeps,
  user: User,
  kind: CodeKind,
  first = false,
): Promise<void> {
  const c = deps.config;
  if (!c.throttleEnabled) return;
  const now = deps.now();
  const perUser: [string, BucketRule] = [
    `u:${user.orgId}:${user.id}:${kind}`,
    { burst: c.throttleUserBurst, perSecond: 1000 / c.throttleUserInterval },
  ];
  const perRecipient: [string, BucketRule] = [
    `r:${user.email.toLowerCase()}`,
    { burst: c.throttleRecipientPerHour, perSecond: c.throttleRecipientPerHour / 3600 },
  ];
  const q = throttleQueries(tx);
  const [key] = first
    ? (await q.take(perRecipient[0], perRecipient[1], now))
      ? []
      : [perRecipient[0]]
    : await q.takeBoth(perUser, perRecipient, now);
  if (key === undefined) return;
  const rule = key === perUser[0] ? perUser[1] : perRecipient[1];
  const state = await q.state(key);
  const tokens = state ? refilled(rule, state.tokens, now.getTime() - state.updatedAt.getTime()) : 0;
  throw new UsherError({
    code: Code.ResourceExhausted,
    id: "USHER-THR29",
    key: "Errors.Limits.Throttled",
    details: {
      retry_after_seconds: secondsUntilToken(rule, tokens),
      limit: key === perUser[0] ? "user" : "recipient",
    },
  });
}
