import type { Queryable } from "../db/types.ts";
import type { CodeKind, StoredCode } from "../domain/code-kind.ts";
import type { User, UserState } from "../domain/user.ts";
import { alreadyExists } from "../errors/usher-error.ts";
import { type CodeRow, toCode } from "./codes.ts";
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

/**
 * Where a username must be unique. `instance`: ZITADEL's rule (its default domain policy), among
 * every user created with it, and in its own organization. `organization`: only within the
 * organization — the tenant API's users, so one tenant can neither learn of nor block a
 * username in another.
 */
export type UsernameScope = "instance" | "organization";

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

    /**
     * What decides whether a user can be created, in one round trip: the organization is
     * active, the id and the username are free (see `UsernameScope`), and the last sequence of
     * an earlier user with this id (a deleted user's id may be taken again; its stream continues).
     */
    async creationCheck(
      orgId: string,
      userId: string,
      username: string,
      scope: UsernameScope = "instance",
    ): Promise<{ orgActive: boolean; idTaken: boolean; usernameTaken: boolean; lastSequence: number }> {
      const rows = await q.query<{ org: boolean; id: boolean; username: boolean; last: number }>(
        `select exists (select 1 from organizations where id = $1 and state = 1) as org,
                exists (select 1 from users where id = $2) as id,
                exists (select 1 from users where lower(username) = lower($3)
                          and (org_id = $1 or ($4 and username_global))) as username,
                (select coalesce(max(sequence), 0)::int from events where org_id = $1 and aggregate_id = $2) as last`,
        [orgId, userId, username, scope === "instance"],
      );
      const r = rows[0];
      if (!r) throw new Error("creation check returned no row");
      return { orgActive: r.org, idTaken: r.id, usernameTaken: r.username, lastSequence: r.last };
    },

    /**
     * The user, row-locked as by `lockById`, with its stored code of a kind, in one round trip
     * (the commands that issue a code read the previous one for its settings, and those that
     * check one compare against it).
     *
     * The code row is locked too, after the user row, so what is read is its latest committed
     * version: a statement that waited for the user's lock still reads other rows as they were
     * when it started, and a plain join would hand a check a code that a parallel check had
     * already consumed or counted a failure against. Rows locked `for update` are re-read at
     * their newest version; the order (user, then code) is the order every writer locks in.
     */
    async lockWithCode(id: string, kind: CodeKind): Promise<{ user: User; code?: StoredCode } | undefined> {
      type CodeJson = Omit<CodeRow, "created_at" | "expires_at"> & {
        created_at: string;
        expires_at: string;
        send_count: number;
        last_sent_at: string | null;
      };
      const rows = await q.query<UserRow & { code: CodeJson | null }>(
        `with u as (select * from users where id = $1 for update),
              c as (select c.* from user_codes c join u on c.org_id = u.org_id and c.user_id = u.id
                     where c.kind = $2 for update of c)
         select u.*, (select json_build_object(
             'kind', c.kind, 'code_hash', c.code_hash, 'created_at', c.created_at, 'expires_at', c.expires_at,
             'failed_attempts', c.failed_attempts, 'code_returned', c.code_returned, 'url_template', c.url_template,
             'application_name', c.application_name, 'auth_request_id', c.auth_request_id, 'email', c.email,
             'send_count', c.send_count, 'last_sent_at', c.last_sent_at) from c) as code
           from u`,
        [id, kind],
      );
      const r = rows[0];
      if (!r) return undefined;
      const user = toUser(r);
      if (!r.code) return { user };
      const c = r.code;
      return {
        user,
        code: {
          ...toCode({ ...c, created_at: new Date(c.created_at), expires_at: new Date(c.expires_at) }),
          sends: { count: c.send_count, lastAt: c.last_sent_at === null ? null : new Date(c.last_sent_at) },
        },
      };
    },

    /**
     * Inserts a user. A username taken meanwhile by a concurrent creation (the unique indexes
     * behind `UsernameScope`) is ALREADY_EXISTS, as the creation check would have said.
     */
    async insert(u: Omit<User, "passwordChangedAt">, scope: UsernameScope = "instance"): Promise<void> {
      await q
        .query(
          `insert into users (org_id, id, type, state, username, given_name, family_name, nick_name, display_name,
           preferred_language, gender, email, email_verified, phone, phone_verified, password_hash,
           password_change_required, sequence, created_at, updated_at, username_global)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21)`,
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
            scope === "instance",
          ],
        )
        .catch((e: unknown) => {
          if ((e as { code?: unknown }).code === "23505" && /username/.test(String((e as Error).message)))
            throw alreadyExists("V3-DKcYh", "Errors.User.AlreadyExists");
          throw e;
        });
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
