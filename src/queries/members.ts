import type { Queryable } from "../db/types.ts";

/** The organization id that stands for the instance in `members`. */
export const INSTANCE_SCOPE = "";

/** Grants roles to a user on an organization (or, with `INSTANCE_SCOPE`, the instance). */
export async function putMember(
  q: Queryable,
  orgId: string,
  userId: string,
  roles: readonly string[],
): Promise<void> {
  await q.query(
    `insert into members (org_id, user_id, roles) values ($1, $2, $3)
     on conflict (org_id, user_id) do update set roles = excluded.roles`,
    [orgId, userId, roles],
  );
}
