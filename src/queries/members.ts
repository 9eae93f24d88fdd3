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

/** A role membership with its details. */
export interface Member {
  /** The organization, or `INSTANCE_SCOPE` for instance roles. */
  orgId: string;
  userId: string;
  roles: string[];
  /** The sequence of the organization's (or instance's) event that last changed it. */
  sequence: number;
  createdAt: Date;
  updatedAt: Date;
}

interface MemberRow {
  org_id: string;
  user_id: string;
  roles: string[];
  sequence: number;
  created_at: Date;
  updated_at: Date;
}

const toMember = (r: MemberRow): Member => ({
  orgId: r.org_id,
  userId: r.user_id,
  roles: r.roles,
  sequence: r.sequence,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** SQL over single memberships; commands lock the organization (or instance) row first. */
export function memberQueries(q: Queryable) {
  return {
    async get(orgId: string, userId: string): Promise<Member | undefined> {
      const rows = await q.query<MemberRow>("select * from members where org_id = $1 and user_id = $2", [
        orgId,
        userId,
      ]);
      return rows[0] && toMember(rows[0]);
    },

    async insert(m: { orgId: string; userId: string; roles: readonly string[]; sequence: number; at: Date }) {
      await q.query(
        `insert into members (org_id, user_id, roles, sequence, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $5)`,
        [m.orgId, m.userId, m.roles, m.sequence, m.at],
      );
    },

    async update(m: { orgId: string; userId: string; roles: readonly string[]; sequence: number; at: Date }) {
      await q.query(
        "update members set roles = $3, sequence = $4, updated_at = $5 where org_id = $1 and user_id = $2",
        [m.orgId, m.userId, m.roles, m.sequence, m.at],
      );
    },

    /** Every membership of a user: on the instance (`INSTANCE_SCOPE`) and per organization. */
    async ofUser(userId: string): Promise<Array<{ orgId: string; roles: string[] }>> {
      const rows = await q.query<{ org_id: string; roles: string[] }>(
        "select org_id, roles from members where user_id = $1",
        [userId],
      );
      return rows.map((r) => ({ orgId: r.org_id, roles: r.roles }));
    },

    async remove(orgId: string, userId: string): Promise<void> {
      await q.query("delete from members where org_id = $1 and user_id = $2", [orgId, userId]);
    },
  };
}
