import type { Queryable } from "../db/types.ts";
import type { Member } from "./members.ts";
import { type Page, pageClause, textMatch } from "./search.ts";

/** One condition of ListOrgMembers / ListIAMMembers; all given conditions must hold. */
export type MemberFilter =
  | { kind: "firstName" | "lastName" | "email"; value: string; method: number }
  | { kind: "userId"; userId: string };

/** A membership with the facts about its user that member lists show. */
export interface MemberView extends Member {
  userOrgId: string;
  userType: "human" | "machine";
  username: string;
  email: string;
  givenName: string;
  familyName: string;
  displayName: string;
}

interface MemberViewRow {
  org_id: string;
  user_id: string;
  roles: string[];
  sequence: number;
  created_at: Date;
  updated_at: Date;
  user_org_id: string;
  type: "human" | "machine";
  username: string;
  email: string;
  given_name: string;
  family_name: string;
  display_name: string;
}

const COLUMNS: Record<"firstName" | "lastName" | "email", string> = {
  firstName: "u.given_name",
  lastName: "u.family_name",
  email: "u.email",
};

/** SQL for listing the members of an organization or of the instance. */
export function memberListQueries(q: Queryable) {
  return {
    /** One page of the members of `scope` (an organization id or the instance scope). */
    async search(
      scope: string,
      filters: readonly MemberFilter[],
      page: Page,
    ): Promise<{ total: number; members: MemberView[] }> {
      const params: unknown[] = [scope];
      const where = ["m.org_id = $1"];
      for (const f of filters) {
        if (f.kind === "userId") {
          params.push(f.userId);
          where.push(`m.user_id = $${params.length}`);
        } else where.push(textMatch(COLUMNS[f.kind], f.value, f.method, params));
      }
      const from = `from members m join users u on u.id = m.user_id where ${where.join(" and ")}`;
      const count = await q.query<{ total: number }>(`select count(*)::int as total ${from}`, params);
      const rows = await q.query<MemberViewRow>(
        `select m.*, u.org_id as user_org_id, u.type, u.username, u.email, u.given_name, u.family_name,
                u.display_name
           ${from} order by m.created_at ${page.asc ? "asc" : "desc"}, m.user_id ${pageClause(page, params)}`,
        params,
      );
      return { total: count[0]?.total ?? 0, members: rows.map(toView) };
    },
  };
}

const toView = (r: MemberViewRow): MemberView => ({
  orgId: r.org_id,
  userId: r.user_id,
  roles: r.roles,
  sequence: r.sequence,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  userOrgId: r.user_org_id,
  userType: r.type,
  username: r.username,
  email: r.email,
  givenName: r.given_name,
  familyName: r.family_name,
  displayName: r.display_name,
});
