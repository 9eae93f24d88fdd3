import type { Queryable } from "../db/types.ts";
import { STATE_CHANGES, type StateChange, V1_STATE_CHANGES } from "../domain/user-transitions.ts";
import { failedPrecondition, notFound } from "../errors/usher-error.ts";
import { outboxQueries } from "../queries/outbox.ts";
import { userUpdates } from "../queries/user-updates.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import { writeUserEvents } from "./user-events.ts";
import { lockUserInOrg, v1Target } from "./v1-scope.ts";

/**
 * v1 DeactivateUser, ReactivateUser, LockUser, UnlockUser (spec §5.8): the v2 state machine
 * with v1's ids, on users of the context organization only, people and service accounts alike
 * (a deactivated or locked account's tokens stop authenticating). Order: user (NOT_FOUND with the
 * call's id) → `user.write` → state (FAILED_PRECONDITION; deactivating an INITIAL user is
 * NOT_FOUND `COMMAND-ke0fw` in v1) → the new state and its event.
 */
export async function changeUserStateV1(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  change: StateChange,
): Promise<WriteDetails> {
  const rule = V1_STATE_CHANGES[change];
  const user = await lockUserInOrg(tx, userId, actor.orgId);
  if (!user) throw notFound(rule.notFoundId, "Errors.User.NotFound");
  deps.authz.require(actor.caller, "user.write", v1Target(user), "AUTH-5mWD2");
  const refusal = rule.refuse(user.state);
  if (refusal)
    throw refusal.notFound ? notFound(refusal.id, refusal.key) : failedPrecondition(refusal.id, refusal.key);
  const to = STATE_CHANGES[change];
  await userUpdates(tx).apply(user.orgId, user.id, { state: to.to });
  return writeUserEvents(tx, user, actor.caller.userId, deps.now(), [{ type: to.event }]);
}

/**
 * v1 RemoveUser (spec §5.8), people and service accounts: NOT_FOUND `COMMAND-m9od` for users outside the context
 * organization, then `user.delete` (no self-service in v1). As v2 DeleteUser: `user.removed`,
 * undelivered messages cancelled, the row removed with its codes, tokens and memberships.
 */
export async function removeUserV1(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
): Promise<WriteDetails> {
  const user = await lockUserInOrg(tx, userId, actor.orgId);
  if (!user) throw notFound("COMMAND-m9od", "Errors.User.NotFound");
  deps.authz.require(actor.caller, "user.delete", v1Target(user), "AUTH-5mWD2");
  const at = deps.now();
  const details = await writeUserEvents(tx, user, actor.caller.userId, at, [{ type: "user.removed" }]);
  await outboxQueries(tx).cancelForUser(user.orgId, user.id, at);
  await userUpdates(tx).remove(user.orgId, user.id);
  return details;
}
