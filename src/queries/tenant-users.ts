import type { Queryable } from "../db/types.ts";

/** A user with its invite code and the delivery of its newest invite, as the tenant API shows it. */
export interface TenantUserRow {
  id: string;
  email: string;
  display_name: string;
  preferred_language: string;
  email_verified: boolean;
  state: number;
  has_password: boolean;
  created_at: Date;
  updated_at: Date;
  invite_expires_at: Date | null;
  invite_live: boolean | null;
  last_sent_at: Date | null;
  send_count: number | null;
  delivery: string | null;
  last_error: string | null;
}

const SELECT = `
  select u.id, u.email, u.display_name, u.preferred_language, u.email_verified, u.state,
         u.password_hash is not null as has_password, u.created_at, u.updated_at,
         c.expires_at as invite_expires_at, c.code_hash is not null as invite_live,
         c.last_sent_at, c.send_count,
         m.status as delivery, m.last_error
    from users u
    left join user_codes c on c.org_id = u.org_id and c.user_id = u.id and c.kind = 'invite'
    left join lateral (
      select o.status, o.last_error from outbox o
       where o.org_id = u.org_id and o.user_id = u.id and o.message_type = 'InviteUser'
       order by o.created_at desc, o.id desc limit 1) m on true`;

/** The `invited` status: email not verified and no credential yet. */
const STATUS_SQL: Readonly<Record<string, string>> = {
  invited: "u.state in (1, 6) and not u.email_verified and u.password_hash is null",
  active: "u.state in (1, 6) and (u.email_verified or u.password_hash is not null)",
  disabled: "u.state = 2",
  locked: "u.state = 4",
  initial: "u.state = 6",
  unverified: "u.state = 1 and not u.email_verified and u.password_hash is not null",
};

/** SQL for the tenant API's user views. */
export function tenantUserQueries(q: Queryable) {
  return {
    async get(orgId: string, userId: string): Promise<TenantUserRow | undefined> {
      const rows = await q.query<TenantUserRow>(
        `${SELECT} where u.org_id = $1 and u.id = $2 and u.type = 'human'`,
        [orgId, userId],
      );
      return rows[0];
    },

    /** Newest first, keyset-paginated on (created_at, id); fetches one extra row to tell `has_more`. */
    async list(
      orgId: string,
      f: {
        limit: number;
        after?: { createdAt: string; id: string } | undefined;
        email?: string | undefined;
        status?: string | undefined;
        /** The start of the name, family name, email address or username, any case. */
        q?: string | undefined;
      },
    ): Promise<TenantUserRow[]> {
      const where = ["u.org_id = $1", "u.type = 'human'"];
      const params: unknown[] = [orgId];
      if (f.after) {
        params.push(f.after.createdAt, f.after.id);
        where.push(`(u.created_at, u.id) < ($${params.length - 1}::timestamptz, $${params.length})`);
      }
      if (f.email) {
        params.push(f.email.toLowerCase());
        where.push(`lower(u.email) = $${params.length}`);
      }
      if (f.status) where.push(STATUS_SQL[f.status] ?? "false");
      if (f.q) {
        // Prefixes, each over an index (migration 0013): fast over any number of users.
        params.push(`${f.q.toLowerCase().replace(/[\\%_]/g, "\\$&")}%`);
        const n = `$${params.length}`;
        where.push(
          `(lower(u.email) like ${n} or lower(u.username) like ${n} or lower(u.display_name) like ${n} or lower(u.family_name) like ${n})`,
        );
      }
      params.push(f.limit + 1);
      return q.query<TenantUserRow>(
        `${SELECT} where ${where.join(" and ")} order by u.created_at desc, u.id desc limit $${params.length}`,
        params,
      );
    },
  };
}
