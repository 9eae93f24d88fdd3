import type { Queryable } from "../db/types.ts";
import type { CodeKind, StoredCode } from "../domain/code-kind.ts";
import { codeMatches } from "../domain/codes.ts";
import { newCode } from "../domain/new-code.ts";
import type { User } from "../domain/user.ts";
import type { Enqueued } from "../outbox/enqueue.ts";
import type { MessageType } from "../outbox/message.ts";
import { codeQueries } from "../queries/codes.ts";
import type { CommandDeps } from "./deps.ts";
import { throttleSend } from "./send-throttle.ts";

/** Settings that travel with a code and are inherited by the next one of its kind. */
export interface CodeSettings {
  urlTemplate: string;
  applicationName: string;
  authRequestId: string;
  codeReturned: boolean;
  /** The user's first code of this kind: the per-user burst does not apply (`throttleSend`). */
  first?: boolean | undefined;
}

/** A code just issued: the plain code (for `return_code` callers) and the message to queue. */
export interface IssuedCode {
  code: string;
  expiresAt: Date;
  /**
   * The message carrying the code (sealed), unless the code is returned to the caller. The
   * command queues it (`enqueueMessages`) after appending the `*.code.added` event.
   */
  messages: Enqueued[];
}

/**
 * Issues a new code of a kind for a user — the first of a code command's three writes: mailed
 * codes are throttled first, then the code's hash replaces the previous code of its kind. The
 * command then appends the `*.code.added` event (`writeUserEvents`) and queues the message
 * (`enqueueMessages`), all in its transaction.
 */
export async function issueCode(
  tx: Queryable,
  deps: CommandDeps,
  user: User,
  kind: CodeKind,
  message: MessageType,
  ttlMs: number,
  length: number,
  settings: CodeSettings,
): Promise<IssuedCode> {
  const { first, ...kept } = settings;
  if (!settings.codeReturned) await throttleSend(tx, deps, user, kind, first === true);
  const made = newCode({
    user,
    kind,
    message,
    ttlMs,
    length,
    settings: kept,
    at: deps.now(),
    keys: deps.keys,
    deliveryTtlMs: deps.config.deliveryTtl,
    applicationName: deps.config.applicationName,
  });
  await codeQueries(tx).replace(user.orgId, user.id, made.stored);
  const messages: Enqueued[] = made.message
    ? [{ id: made.message.id, at: made.message.at, message: made.message.body }]
    : [];
  return { code: made.code, expiresAt: made.expiresAt, messages };
}

export type CheckOutcome = "ok" | "wrong" | "discarded";

/**
 * Checks a presented code against the stored code of its kind (read by the caller under the
 * user's lock, at its latest version). Expiry is checked first, then that the user still has
 * the address the code was issued for (a code proves that address and nothing else); an
 * expired or unbound code, or the `maxAttempts`-th failure, discards the code. The caller
 * writes the matching events.
 */
export async function checkCode(
  tx: Queryable,
  deps: CommandDeps,
  user: User,
  stored: StoredCode | undefined,
  presented: string,
): Promise<CheckOutcome> {
  if (!stored?.codeHash) return "wrong";
  const codes = codeQueries(tx);
  const kind = stored.kind;
  const expired = stored.expiresAt.getTime() <= deps.now().getTime();
  const bound = stored.email === user.email;
  if (!expired && bound && codeMatches(deps.keys.codeHmac, presented, stored.codeHash)) {
    await codes.consume(user.orgId, user.id, kind);
    return "ok";
  }
  const discard = expired || !bound || stored.failedAttempts + 1 >= deps.config.codeMaxAttempts;
  await codes.recordFailure(user.orgId, user.id, kind, discard);
  return discard ? "discarded" : "wrong";
}
