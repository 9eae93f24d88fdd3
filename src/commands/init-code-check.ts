import type { Queryable } from "../db/types.ts";
import { UserState } from "../domain/user.ts";
import { enqueueMessages } from "../outbox/enqueue.ts";
import { codeQueries } from "../queries/codes.ts";
import type { NewEvent } from "../queries/events.ts";
import { userUpdates } from "../queries/user-updates.ts";
import { checkCode } from "./code-mail.ts";
import type { CommandDeps } from "./deps.ts";
import { addInitCode, previousAuthRequestId } from "./init-codes.ts";
import { lockHuman } from "./load-user.ts";
import { type PreparedPassword, storePassword } from "./password-change.ts";
import { writeUserEvents } from "./user-events.ts";

/** Who acts when an end user proves a code on a hosted page (no token, no caller). */
const END_USER = "end-user";

/**
 * Login v1's init check (spec §7) from the hosted page: the code proves the mailbox, so the
 * user becomes ACTIVE with a verified email and its first password, all or nothing.
 *
 * Order: user of the organization → INITIAL with a pending init code (else `false`, nothing
 * written, like ZITADEL's NOT_FOUND `COMMAND-mmn5f`) → the code (expiry first; a wrong or
 * expired code writes `user.human.initialization.check.failed`, kept, counting against
 * the attempt limit) → the password policy → `initialization.check.succeeded`,
 * `email.verified` if not yet, `password.changed{changeRequired:false}`.
 *
 * Unknown users and wrong codes both answer `false`, so callers cannot tell them apart.
 */
export async function checkInitCode(
  tx: Queryable,
  deps: CommandDeps,
  orgId: string,
  userId: string,
  code: string,
  password: PreparedPassword,
): Promise<boolean> {
  const user = await lockHuman(tx, userId);
  if (!user || user.orgId !== orgId || user.state !== UserState.Initial) return false;
  const codes = codeQueries(tx);
  const stored = await codes.get(orgId, userId, "init");
  if (!stored?.codeHash) return false;
  const at = deps.now();
  if ((await checkCode(tx, deps, user, stored, code)) !== "ok") {
    await writeUserEvents(tx, user, END_USER, at, [{ type: "user.human.initialization.check.failed" }]);
    return false;
  }
  if (password.policyError) throw password.policyError;
  const events: NewEvent[] = [{ type: "user.human.initialization.check.succeeded" }];
  if (!user.emailVerified) events.push({ type: "user.human.email.verified" });
  // The address is verified now, so a pending email code has nothing left to prove.
  await codes.consume(orgId, userId, "email");
  await userUpdates(tx).apply(orgId, userId, { state: UserState.Active, emailVerified: true });
  events.push(await storePassword(tx, user, { ...password, changeRequired: false }, at));
  await writeUserEvents(tx, user, END_USER, at, events);
  return true;
}

/**
 * Login v1's "resend" on the init page (ResendInitialMail): a new init code for a user who is
 * still INITIAL, mailed through the outbox; the previous code stops working and its auth
 * request is kept. Returns `false` when the user is unknown or not INITIAL — a locked user
 * stays locked, unlike the admin's ResendHumanInitialization. The send throttle's
 * RESOURCE_EXHAUSTED is thrown as from every other send.
 */
export async function sendNewInitCode(tx: Queryable, deps: CommandDeps, userId: string): Promise<boolean> {
  const user = await lockHuman(tx, userId);
  if (!user || user.state !== UserState.Initial) return false;
  const init = await addInitCode(tx, deps, user, await previousAuthRequestId(tx, user));
  await writeUserEvents(tx, user, user.id, deps.now(), [init.event]);
  await enqueueMessages(tx, init.messages);
  return true;
}
