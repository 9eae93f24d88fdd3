import type { Authorizer } from "../authz/authorizer.ts";
import type { Caller } from "../authz/caller.ts";
import type { Queryable } from "../db/types.ts";
import type { User } from "../domain/user.ts";
import { notFound } from "../errors/usher-error.ts";
import { userQueries } from "../queries/users.ts";
import { lockHuman } from "./load-user.ts";

/**
 * The human user with this id in the context organization, row-locked for the transaction.
 * v1 calls use the context organization as a filter (spec §3.1): a user of another
 * organization, a machine user or an unknown id are all "not found" to them.
 */
export async function lockHumanInOrg(tx: Queryable, id: string, orgId: string): Promise<User | undefined> {
  const user = await lockHuman(tx, id);
  return user?.orgId === orgId ? user : undefined;
}

/**
 * Any user (person or service account) with this id in the context organization, row-locked:
 * for the v1 calls that serve both kinds (lifecycle, personal access tokens).
 */
export async function lockUserInOrg(tx: Queryable, id: string, orgId: string): Promise<User | undefined> {
  const user = await userQueries(tx).lockById(id);
  return user?.orgId === orgId ? user : undefined;
}

/**
 * v1 GetUserByID (spec §5.7): NOT_FOUND `QUERY-Dfbg2` for an unknown id, `MANAG-fpo4B` for a
 * user of another organization than the context one, then `user.read` on the user (the
 * interceptor already checked it on the organization; operators' policies may say more).
 */
export async function getUserInOrg(
  q: Queryable,
  authz: Authorizer,
  caller: Caller,
  orgId: string,
  id: string,
): Promise<User> {
  const user = await userQueries(q).byId(id);
  if (!user) throw notFound("QUERY-Dfbg2", "Errors.User.NotFound");
  if (user.orgId !== orgId) throw notFound("MANAG-fpo4B", "Errors.User.NotFound");
  authz.require(caller, "user.read", { orgId, userId: user.id, email: user.email }, "AUTH-5mWD2");
  return user;
}

/** What a v1 command tells the authorizer about the user it acts on. */
export function v1Target(user: User) {
  return { orgId: user.orgId, userId: user.id, email: user.email, emailVerified: user.emailVerified };
}
