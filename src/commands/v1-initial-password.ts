import type { Queryable } from "../db/types.ts";
import { passwordPolicyOf } from "../domain/password-policy.ts";
import { failedPrecondition } from "../errors/usher-error.ts";
import { requireCredentialOf } from "./credential-guard.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import { awaitsInitialization } from "./init-codes.ts";
import { preparePassword, storePassword } from "./password-change.ts";
import { writeUserEvents } from "./user-events.ts";
import { lockHumanInOrg, v1Target } from "./v1-scope.ts";

/**
 * v1 SetHumanInitialPassword (spec §5.6): SetPassword with the change forced. Order: user in
 * the context organization (FAILED_PRECONDITION `COMMAND-G8dh3`) → not yet initialised
 * (`COMMAND-M9dse` — despite its name the call does not serve INITIAL users) → `user.write`
 * (no self-service) → every permission of the user (`AUTHZ-Esc4lt`) → complexity (`DOMAIN-…`) → `password.changed {changeRequired: true}`.
 * The state does not change.
 */
export async function setInitialPassword(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  password: string,
): Promise<WriteDetails> {
  // argon2id runs before the transaction, never under the user's row lock.
  const prepared = await preparePassword(
    { plain: password, changeRequired: true },
    passwordPolicyOf(deps.config),
  );
  const user = await lockHumanInOrg(tx, userId, actor.orgId);
  if (!user)
    throw failedPrecondition("COMMAND-G8dh3", "Errors.User.Password.NotFound", undefined, "user_not_found");
  if (await awaitsInitialization(tx, user))
    throw failedPrecondition("COMMAND-M9dse", "Errors.User.NotInitialised");
  deps.authz.require(actor.caller, "user.password.set", v1Target(user), "AUTH-5mWD2");
  await requireCredentialOf(tx, deps, actor.caller, user);
  const at = deps.now();
  const event = await storePassword(tx, user, prepared, at);
  return writeUserEvents(tx, user, actor.caller.userId, at, [event]);
}
