import type { Queryable } from "../db/types.ts";
import type { User, UserState } from "../domain/user.ts";
import type { SqlWhere } from "./user-filter-sql.ts";

interface UserRow {
  org_id: string;
  id: string;
  type: "human" | "machine";
  state: number;
  username: string;
  given_name: string;
  family_name: string;
  nick_name: string;
  display_name: string;
  preferred_language: string;
  gender: number;
  email: string;
  email_verified: boolean;
  phone: string;
  phone_verified: boolean;
  password_hash: string | null;
  password_change_required: boolean;
  password_changed_at: Date | null;
  sequence: number;
  created_at: Date;
  updated_at: Date;
}

const toUser = (r: UserRow): User => ({
  orgId: r.org_id,
  id: r.id,
  type: r.type,
  state: r.state as UserState,
  username: r.username,
  givenName: r.given_name,
  familyName: r.family_name,
  nickName: r.nick_name,
  displayName: r.display_name,
  preferredLanguage: r.preferred_language,
  gender: r.gender,
  email: r.email,
  emailVerified: r.email_verified,
  phone: r.phone,
  phoneVerified: r.phone_verified,
  passwordHash: r.password_hash,
  passwordChangeRequired: r.password_change_required,
  passwordChangedAt: r.password_changed_at,
  sequence: r.sequence,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** SQL over users; pass a transaction to read under its locks. */
export function userQueries(q: Queryable) {
  return {
    /** The user with this id, in any organization. */
    async byId(id: string): Promise<User | undefined> {
      const rows = await q.query<UserRow>("select * from users where id = $1", [id]);
      return rows[0] && toUser(rows[0]);
    },

    /** The user, row-locked until the transaction ends: commands serialise on it. */
    async lockById(id: string): Promise<User | undefined> {
      const rows = await q.query<UserRow>("select * from users where id = $1 for update", [id]);
      return rows[0] && toUser(rows[0]);
    },

    async usernameTaken(username: string): Promise<boolean> {
      const rows = await q.query("select 1 from users where lower(username) = lower($1)", [username]);
      return rows.length > 0;
    },

    async insert(u: Omit<User, "passwordChangedAt">): Promise<void> {
      await q.query(
        `insert into users (org_id, id, type, state, username, given_name, family_name, nick_name, display_name,
           preferred_language, gender, email, email_verified, phone, phone_verified, password_hash,
           password_change_required, sequence, created_at, updated_at)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)`,
        [
          u.orgId,
          u.id,
          u.type,
          u.state,
          u.username,
          u.givenName,
          u.familyName,
          u.nickName,
          u.displayName,
          u.preferredLanguage,
          u.gender,
          u.email,
          u.emailVerified,
          u.phone,
          u.phoneVerified,
          u.passwordHash,
          u.passwordChangeRequired,
          u.sequence,
          u.createdAt,
          u.updatedAt,
        ],
      );
    },

    /** One page of users matching a compiled filter (see user-filter-sql.ts); `limit` 0 = all. */
    async page(where: SqlWhere, orderBy: string, limit: number, offset: number): Promise<User[]> {
      const n = where.params.length;
      const rows = await q.query<UserRow>(
        `select * from users where ${where.sql} order by ${orderBy} limit $${n + 1} offset $${n + 2}`,
        [...where.params, limit > 0 ? limit : null, offset],
      );
      return rows.map(toUser);
    },

    /** How many users match a compiled filter. */
    async count(where: SqlWhere): Promise<number> {
      const rows = await q.query<{ n: string | number }>(
        `select count(*) as n from users where ${where.sql}`,
        where.params,
      );
      return Number(rows[0]?.n ?? 0);
    },
  };
}
