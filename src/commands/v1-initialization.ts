import type { Queryable } from "../db/types.ts";
import { failedPrecondition, notFound } from "../errors/usher-error.ts";
import { enqueueMessages } from "../outbox/enqueue.ts";
import type { NewEvent } from "../queries/events.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import { correctAddress } from "./email-change.ts";
import { addInitCode, awaitsInitialization, previousAuthRequestId } from "./init-codes.ts";
import { writeUserEvents } from "./user-events.ts";
import { lockHumanInOrg, v1Target } from "./v1-scope.ts";

/**
 * v1 ResendHumanInitialization (spec §5.3). Order: user in the context organization (NOT_FOUND
 * `COMMAND-2M9df`) → `user.write` on it → waiting for initialisation (else FAILED_PRECONDITION
 * `COMMAND-2M9sd`) → an `email` that differs byte for byte from the current address changes it
 * (`user.human.email.changed`, unverified; no format check, no trimming), for a caller with
 * every permission of the user (`AUTHZ-Esc4lt`) → a new init code,
 * the old one invalid, mailed to the (new) address. The address change is the email change's
 * own (`correctAddress`). Runs in the caller's transaction.
 */
export async function resendInitialization(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  email: string,
): Promise<WriteDetails> {
  const user = await lockHumanInOrg(tx, userId, actor.orgId);
  if (!user) throw notFound("COMMAND-2M9df", "Errors.User.NotFound");
  deps.authz.require(actor.caller, "user.write", v1Target(user), "AUTH-5mWD2");
  if (!(await awaitsInitialization(tx, user)))
    throw failedPrecondition("COMMAND-2M9sd", "Errors.User.AlreadyInitialised");
  const events: NewEvent[] = [];
  let recipient = user;
  if (email && email !== user.email) {
    // A new address ends the verified flag and every code sent to the old one.
    const corrected = await correctAddress(tx, deps, actor.caller, user, email);
    events.push(corrected.event);
    recipient = corrected.user;
  }
  const authRequestId = await previousAuthRequestId(tx, user);
  const init = await addInitCode(tx, deps, recipient, authRequestId);
  events.push(init.event);
  const details = await writeUserEvents(tx, user, actor.caller.userId, deps.now(), events);
  await enqueueMessages(tx, init.messages);
  return details;
}
