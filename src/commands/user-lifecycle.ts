import type { Queryable } from "../db/types.ts";
import { STATE_CHANGES, type StateChange } from "../domain/user-transitions.ts";
import { failedPrecondition, notFound } from "../errors/usher-error.ts";
import { outboxQueries } from "../queries/outbox.ts";
import { userUpdates } from "../queries/user-updates.ts";
import { userQueries } from "../queries/users.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import { writeUserEvents } from "./user-events.ts";

/**
 * DeactivateUser, ReactivateUser, LockUser, UnlockUser (spec §6.12), on people and service
 * accounts alike (an inactive or locked account's tokens stop authenticating): state first, permission
 * after — an unknown user is NOT_FOUND, a state the change does not apply to is
 * FAILED_PRECONDITION (both with the call's own id), then `user.write` on the user's
 * organization (no self-service), then the state and its event.
 */
export async function changeUserState(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  change: StateChange,
): Promise<WriteDetails> {
  const rule = STATE_CHANGES[change];
  const user = await userQueries(tx).lockById(userId);
  if (!user) throw notFound(rule.notFoundId, "Errors.User.NotFound");
  const refusal = rule.refuse(user.state);
  if (refusal) throw failedPrecondition(refusal.id, refusal.key);
  const target = { orgId: user.orgId, userId: user.id, email: user.email };
  deps.authz.require(actor.caller, "user.write", target, "AUTH-AWfge");
  await userUpdates(tx).apply(user.orgId, user.id, { state: rule.to });
  return writeUserEvents(tx, user, actor.caller.userId, deps.now(), [{ type: rule.event }]);
}

/**
 * DeleteUser (spec §6.12), people and service accounts: NOT_FOUND `COMMAND-bd4ir1mblj`, then `user.delete` on the user's
 * organization, or `user.self.delete` for oneself. Writes `user.removed`, cancels the user's
 * undelivered messages (their codes are wiped), and removes the row with its codes, tokens and
 * memberships: the user is "not found" from then on and its username is free.
 */
export async function deleteUser(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
): Promise<WriteDetails> {
  const user = await userQueries(tx).lockById(userId);
  if (!user) throw notFound("COMMAND-bd4ir1mblj", "Errors.User.NotFound");
  const action = actor.caller.userId === user.id ? "user.self.delete" : "user.delete";
  const target = { orgId: user.orgId, userId: user.id, email: user.email };
  deps.authz.require(actor.caller, action, target, "AUTH-AWfge");
  const at = deps.now();
  const details = await writeUserEvents(tx, user, actor.caller.userId, at, [{ type: "user.removed" }]);
  await outboxQueries(tx).cancelForUser(user.orgId, user.id, at);
  await userUpdates(tx).remove(user.orgId, user.id);
  return details;
}
