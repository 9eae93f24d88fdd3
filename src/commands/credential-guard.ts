import type { Caller } from "../authz/caller.ts";
import { type Holder, requireNoEscalation } from "../authz/no-escalation.ts";
import type { Queryable } from "../db/types.ts";
import { INSTANCE_SCOPE, memberQueries } from "../queries/members.ts";
import type { CommandDeps } from "./deps.ts";

/**
 * The guard of every path that mints or hands out a credential (spec: docs/design/escalation.md).
 * Each one names the authority the credential would carry and asks `requireNoEscalation`
 * whether the caller holds all of it.
 */

/** A user's authority: what a token of it could do, from its memberships. */
export async function authorityOf(q: Queryable, user: { id: string; orgId: string }): Promise<Holder> {
  const orgRoles = new Map<string, string[]>();
  let instanceRoles: string[] = [];
  for (const m of await memberQueries(q).ofUser(user.id)) {
    if (m.orgId === INSTANCE_SCOPE) instanceRoles = m.roles;
    else orgRoles.set(m.orgId, m.roles);
  }
  return { userId: user.id, orgId: user.orgId, instanceRoles, orgRoles };
}

/**
 * A caller about to obtain a credential of `user` — a token of it, its password, a code that
 * sets its password, or control of the address its codes go to — must hold every permission
 * the user holds. Call it under the user's row lock, after the call's own permission check.
 */
export async function requireCredentialOf(
  tx: Queryable,
  deps: CommandDeps,
  caller: Caller,
  user: { id: string; orgId: string },
): Promise<void> {
  requireNoEscalation(deps.authz, caller, await authorityOf(tx, user));
}

/**
 * A caller granting `roles` on `scope` (an organization, or `INSTANCE_SCOPE`) to a user must
 * hold every permission those roles give there. Only the granted roles count: what the user
 * held before is not the caller's doing.
 */
export function requireGrant(
  deps: CommandDeps,
  caller: Caller,
  member: { userId: string; orgId: string },
  scope: string,
  roles: readonly string[],
): void {
  const holder: Holder =
    scope === INSTANCE_SCOPE
      ? { userId: member.userId, orgId: member.orgId, instanceRoles: roles, orgRoles: new Map() }
      : {
          userId: member.userId,
          orgId: member.orgId,
          instanceRoles: [],
          orgRoles: new Map([[scope, roles]]),
        };
  requireNoEscalation(deps.authz, caller, holder);
}
