import type { Queryable } from "../db/types.ts";
import { normalizeEmail } from "../domain/email.ts";
import type { User } from "../domain/user.ts";
import { failedPrecondition, notFound } from "../errors/usher-error.ts";
import { type Enqueued, enqueueMessages } from "../outbox/enqueue.ts";
import type { NewEvent } from "../queries/events.ts";
import { type UserPatch, userUpdates } from "../queries/user-updates.ts";
import { requireCredentialOf } from "./credential-guard.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import {
  addEmailCode,
  changeEmail,
  type EmailDelivery,
  emailAction,
  markEmailVerified,
} from "./email-change.ts";
import { awaitsInitialization } from "./init-codes.ts";
import { writeUserEvents } from "./user-events.ts";
import { lockHumanInOrg, v1Target } from "./v1-scope.ts";

/**
 * v1 ResendHumanEmailVerification (spec §5.4). Order: user in the context organization
 * (NOT_FOUND `COMMAND-0Pe4r`) → `user.write` → not yet initialised (`COMMAND-E3fbw`) →
 * already verified (`COMMAND-3M9ds`) → a new email code, mailed; the old one is invalid. Unlike
 * v2 ResendEmailCode, no earlier code is needed.
 */
export async function resendEmailVerification(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
): Promise<WriteDetails> {
  const user = await lockHumanInOrg(tx, userId, actor.orgId);
  if (!user) throw notFound("COMMAND-0Pe4r", "Errors.User.Email.NotFound");
  deps.authz.require(actor.caller, emailAction({ kind: "send" }), v1Target(user), "AUTH-5mWD2");
  await refuseUninitialised(tx, user, "COMMAND-E3fbw");
  if (user.emailVerified) throw failedPrecondition("COMMAND-3M9ds", "Errors.User.Email.AlreadyVerified");
  const added = await addEmailCode(tx, deps, user, { kind: "send" });
  const details = await writeUserEvents(tx, user, actor.caller.userId, deps.now(), [added.event]);
  await enqueueMessages(tx, added.messages);
  return details;
}

/**
 * v1 UpdateHumanEmail (spec §5.5). Order: address format (`EMAIL-…`) → user in the context
 * organization (FAILED_PRECONDITION `COMMAND-0Pe4r`) → `user.write` → every permission of the
 * user (`AUTHZ-Esc4lt`: the address is where its reset codes go) → not yet initialised
 * (`COMMAND-J8dsk`) → nothing to do (`COMMAND-2b7fM`: same address, and not a request to verify
 * an unverified one) → `email.changed` if it differs, then `email.verified` or a mailed code.
 */
export async function updateHumanEmail(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  email: string,
  verified: boolean,
): Promise<WriteDetails> {
  const address = normalizeEmail(email);
  const delivery: EmailDelivery = verified ? { kind: "verified" } : { kind: "send" };
  const user = await lockHumanInOrg(tx, userId, actor.orgId);
  if (!user) throw failedPrecondition("COMMAND-0Pe4r", "Errors.User.Email.NotFound");
  deps.authz.require(actor.caller, emailAction(delivery), v1Target(user), "AUTH-5mWD2");
  await requireCredentialOf(tx, deps, actor.caller, user);
  await refuseUninitialised(tx, user, "COMMAND-J8dsk");
  const same = address === user.email;
  if (same && !(verified && !user.emailVerified))
    throw failedPrecondition("COMMAND-2b7fM", "Errors.User.Email.NotChanged");
  let events: NewEvent[];
  let patch: UserPatch;
  let messages: Enqueued[] = [];
  if (same) {
    events = [await markEmailVerified(tx, user)];
    patch = { emailVerified: true };
  } else {
    ({ events, patch, messages } = await changeEmail(tx, deps, user, address, delivery));
  }
  await userUpdates(tx).apply(user.orgId, user.id, patch);
  const details = await writeUserEvents(tx, user, actor.caller.userId, deps.now(), events);
  await enqueueMessages(tx, messages);
  return details;
}

/** FAILED_PRECONDITION "User is not yet initialized" with the call's id (spec §4.3). */
async function refuseUninitialised(tx: Queryable, user: User, id: string): Promise<void> {
  if (await awaitsInitialization(tx, user)) throw failedPrecondition(id, "Errors.User.NotInitialised");
}
