import type { Authorizer } from "../authz/authorizer.ts";
import type { Caller } from "../authz/caller.ts";
import type { Queryable } from "../db/types.ts";
import type { User } from "../domain/user.ts";
import { notFound } from "../errors/usher-error.ts";
import { userQueries } from "../queries/users.ts";

/**
 * v2 GetUserByID (spec §6.3): the user in any organization the caller may read, or itself.
 * Existence is checked before permission, as ZITADEL does.
 */
export async function getUserForCaller(
  q: Queryable,
  authz: Authorizer,
  caller: Caller,
  userId: string,
): Promise<User> {
  const user = await userQueries(q).byId(userId);
  if (!user) throw notFound("QUERY-Dfbg2", "Errors.User.NotFound");
  authz.require(caller, "user.read", { orgId: user.orgId, userId: user.id }, "AUTH-AWfge");
  return user;
}
