import type { Queryable } from "../db/types.ts";
import type { CodeKind } from "../domain/code-kind.ts";
import { codeMatches, generateCode, hashCode } from "../domain/codes.ts";
import { uuidv7 } from "../domain/ids.ts";
import { seal } from "../domain/secrets.ts";
import type { User } from "../domain/user.ts";
import type { MessageType } from "../outbox/message.ts";
import { codeQueries } from "../queries/codes.ts";
import { outboxQueries } from "../queries/outbox.ts";
import type { CommandDeps } from "./deps.ts";
import { throttleSend } from "./send-throttle.ts";

/** Settings that travel with a code and are inherited by the next one of its kind. */
export interface CodeSettings {
  urlTemplate: string;
  applicationName: string;
  authRequestId: string;
  codeReturned: boolean;
}

/**
 * Issues a new code of a kind for a user in the caller's transaction: stores only its hash
 * (replacing the previous code), and unless the code is returned to the caller, queues the
 * message carrying it, encrypted. Returns the plain code for `return_code` callers.
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
): Promise<{ code: string; expiresAt: Date }> {
  if (!settings.codeReturned) await throttleSend(tx, deps, user, kind);
  const at = deps.now();
  const code = generateCode(length);
  const expiresAt = new Date(at.getTime() + ttlMs);
  await codeQueries(tx).put(user.orgId, user.id, {
    kind,
    codeHash: hashCode(deps.keys.codeHmac, code),
    createdAt: at,
    expiresAt,
    failedAttempts: 0,
    ...settings,
  });
  if (!settings.codeReturned) {
    const ttl = Math.min(expiresAt.getTime(), at.getTime() + deps.config.deliveryTtl);
    await outboxQueries(tx).enqueue(
      uuidv7(at.getTime()),
      {
        orgId: user.orgId,
        userId: user.id,
        type: message,
        codeKind: kind,
        recipient: user.email,
        payload: {
          userId: user.id,
          orgId: user.orgId,
          username: user.username,
          displayName: user.displayName,
          givenName: user.givenName,
          preferredLanguage: user.preferredLanguage,
          applicationName: settings.applicationName || deps.config.applicationName,
          urlTemplate: settings.urlTemplate,
          codeExpiresAt: expiresAt.toISOString(),
        },
        secret: seal(deps.keys.outbox, code),
        expiresAt: new Date(ttl),
      },
      at,
    );
  }
  return { code, expiresAt };
}

export type CheckOutcome = "ok" | "wrong" | "discarded";

/**
 * Checks a presented code of a kind. Expiry is checked first; an expired code or the
 * `maxAttempts`-th failure discards the code. The caller writes the matching events.
 */
export async function checkCode(
  tx: Queryable,
  deps: CommandDeps,
  user: User,
  kind: CodeKind,
  presented: string,
): Promise<CheckOutcome> {
  const codes = codeQueries(tx);
  const stored = await codes.get(user.orgId, user.id, kind);
  if (!stored?.codeHash) return "wrong";
  const expired = stored.expiresAt.getTime() <= deps.now().getTime();
  if (!expired && codeMatches(deps.keys.codeHmac, presented, stored.codeHash)) {
    await codes.consume(user.orgId, user.id, kind);
    return "ok";
  }
  const discard = expired || stored.failedAttempts + 1 >= deps.config.codeMaxAttempts;
  await codes.recordFailure(user.orgId, user.id, kind, discard);
  return discard ? "discarded" : "wrong";
}
