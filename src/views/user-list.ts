import type { Authorizer } from "../authz/authorizer.ts";
import type { Caller } from "../authz/caller.ts";
import type { Queryable } from "../db/types.ts";
import type { User } from "../domain/user.ts";
import type { ReadScope, UserListRequest } from "../domain/user-filter.ts";
import { compileWhere, orderBy } from "../queries/user-filter-sql.ts";
import { userQueries } from "../queries/users.ts";

export interface UserList {
  total: number;
  users: User[];
}

/**
 * Which users a caller may list (spec §6.1: filtered to organizations with `user.read`, plus
 * the caller itself). A permission that holds without any organization (instance roles) holds
 * for all of them; otherwise each organization the caller has a role on is asked about.
 */
export function readScope(authz: Authorizer, caller: Caller): ReadScope {
  if (authz.decide(caller, "user.read", { orgId: "" }).allowed) return { all: true };
  const orgIds = [...caller.orgRoles.keys()].filter(
    (orgId) => authz.decide(caller, "user.read", { orgId }).allowed,
  );
  return { all: false, orgIds, selfId: caller.userId };
}

/**
 * v2 ListUsers (spec §6.3): the page of users matching the request that the caller may read,
 * and how many match in all. Users outside the caller's scope are left out, never an error.
 */
export async function listUsersForCaller(
  q: Queryable,
  authz: Authorizer,
  caller: Caller,
  request: UserListRequest,
): Promise<UserList> {
  const where = compileWhere(readScope(authz, caller), request.filters);
  const users = userQueries(q);
  const page = await users.page(where, orderBy(request.sort, request.asc), request.limit, request.offset);
  // A short page that is not past the end already tells the total: skip counting then.
  const last = request.limit === 0 || page.length < request.limit;
  const total =
    last && (page.length > 0 || request.offset === 0)
      ? request.offset + page.length
      : await users.count(where);
  return { total, users: page };
}
