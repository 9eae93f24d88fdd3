import type { Queryable } from "../db/types.ts";
import { type User, UserState } from "../domain/user.ts";
import type { Enqueued } from "../outbox/enqueue.ts";
import { codeQueries } from "../queries/codes.ts";
import type { NewEvent } from "../queries/events.ts";
import { userUpdates } from "../queries/user-updates.ts";
import { issueCode } from "./code-mail.ts";
import type { CommandDeps } from "./deps.ts";

/** Characters in an initialization code (ZITADEL's InitializeUserCode default, spec §4.5). */
const INIT_CODE_LENGTH = 6;

/**
 * Issues an initialization code for a user (spec §5.1–§5.3): replaces the previous one, queues
 * the InitCode mail to `user.email` (throttled like every code mail) and puts the user into
 * INITIAL — `initialization.code.added` overrides any state, LOCKED included (§4.2). Returns
 * the event for the caller to append with its others, and the message to queue after them.
 */
export async function addInitCode(
  tx: Queryable,
  deps: CommandDeps,
  user: User,
  authRequestId: string,
): Promise<{ event: NewEvent; messages: Enqueued[] }> {
  const ttl = deps.config.initCodeTtl;
  const issued = await issueCode(tx, deps, user, "init", "InitCode", ttl, INIT_CODE_LENGTH, {
    urlTemplate: "",
    applicationName: "",
    authRequestId,
    codeReturned: false,
  });
  await userUpdates(tx).apply(user.orgId, user.id, { state: UserState.Initial });
  const event = {
    type: "user.human.initialization.code.added",
    payload: { expiry: ttl * 1_000_000, authRequestID: authRequestId },
  };
  return { event, messages: issued.messages };
}

/**
 * Whether ZITADEL's init-code model counts the user as waiting for initialisation: INITIAL,
 * or locked (or deactivated after a lock) with its init code still pending — that model never
 * sees lock events (spec §4.3). Email and password calls refuse such users as "not yet
 * initialized"; ResendHumanInitialization only serves them.
 */
export async function awaitsInitialization(tx: Queryable, user: User): Promise<boolean> {
  if (user.state === UserState.Initial) return true;
  if (user.state === UserState.Active) return false;
  return Boolean((await codeQueries(tx).get(user.orgId, user.id, "init"))?.codeHash);
}

/** The auth request id the previous init code carried; ZITADEL reuses it on resend. */
export async function previousAuthRequestId(tx: Queryable, user: User): Promise<string> {
  return (await codeQueries(tx).get(user.orgId, user.id, "init"))?.authRequestId ?? "";
}
