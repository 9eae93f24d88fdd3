import type { Caller } from "../authz/caller.ts";
import type { User } from "../domain/user.ts";
import type { CommandDeps } from "./deps.ts";

/**
 * Whether a caller may learn that a user exists: it may read that user (`user.read` on it),
 * or — when no user has the id — it may read users of every organization, where such a user
 * would have been. The code-checking calls (VerifyEmail, VerifyInviteCode, SetPassword with a
 * code) need no permission, so a caller for whom this is false gets for a missing user the
 * answer a wrong code gets: otherwise "not found" against "code invalid" tells anyone with a
 * token which ids exist. Callers for whom it is true keep ZITADEL's exact errors.
 */
export function mayKnowUser(deps: CommandDeps, caller: Caller, user: User | undefined, id: string): boolean {
  const target = user
    ? { orgId: user.orgId, userId: user.id, email: user.email, emailVerified: user.emailVerified }
    : { orgId: "", userId: id };
  return deps.authz.decide(caller, "user.read", target).allowed;
}
