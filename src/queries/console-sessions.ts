import type { Queryable } from "../db/types.ts";

/** A human who may sign in to the console: active, with a password and a console role. */
export interface ConsoleAccount {
  orgId: string;
  userId: string;
  passwordHash: string;
}

/** A console session's row (found by the hash of the cookie's token). */
export interface ConsoleSessionRow {
  tokenId: string;
  userId: string;
  orgId: string;
  lastUsedAt: Date | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Roles that admit a person to the console (viewers see, the API refuses their writes). */
export const CONSOLE_ROLES = ["IAM_OWNER", "ORG_OWNER", "ORG_USER_MANAGER", "ORG_USER_VIEWER"] as const;

/** SQL over console sessions: tokens of human users marked `console`. */
export function consoleSessionQueries(q: Queryable) {
  return {
    /**
     * The account a login name (username or email, any case) signs in to: the oldest active
     * human with a password and a membership holding a console role.
     */
    async account(loginName: string): Promise<ConsoleAccount | undefined> {
      const rows = await q.query<{ org_id: string; id: string; password_hash: string }>(
        `select u.org_id, u.id, u.password_hash from users u
          where u.type = 'human' and u.state = 1 and u.password_hash is not null
            and (lower(u.username) = lower($1) or lower(u.email) = lower($1))
            and exists (select 1 from members m where m.user_id = u.id and m.roles && $2::text[])
          order by u.created_at, u.id limit 1`,
        [loginName, CONSOLE_ROLES],
      );
      const r = rows[0];
      return r ? { orgId: r.org_id, userId: r.id, passwordHash: r.password_hash } : undefined;
    },

    async insert(s: {
      id: string;
      orgId: string;
      userId: string;
      tokenHash: string;
      at: Date;
      expiresAt: Date;
    }) {
      await q.query(
        `insert into tokens (id, org_id, user_id, token_hash, created_at, expires_at, last_used_at, console)
         values ($1, $2, $3, $4, $5, $6, $5, true)`,
        [s.id, s.orgId, s.userId, s.tokenHash, s.at, s.expiresAt],
      );
    },

    /** A live console session by its token's hash (not revoked, before its absolute end). */
    async live(tokenHash: string, now: Date): Promise<ConsoleSessionRow | undefined> {
      const rows = await q.query<{
        id: string;
        user_id: string;
        org_id: string;
        last_used_at: Date | null;
        created_at: Date;
        expires_at: Date;
      }>(
        `select id, user_id, org_id, last_used_at, created_at, expires_at from tokens
          where token_hash = $1 and console and revoked_at is null and expires_at > $2`,
        [tokenHash, now],
      );
      const r = rows[0];
      return r
        ? {
            tokenId: r.id,
            userId: r.user_id,
            orgId: r.org_id,
            lastUsedAt: r.last_used_at,
            createdAt: r.created_at,
            expiresAt: r.expires_at,
          }
        : undefined;
    },

    /** Ends a session: its token stops authenticating at once (the revocation trigger tells every process). */
    async end(tokenId: string, at: Date): Promise<void> {
      await q.query("update tokens set revoked_at = $2 where id = $1 and console and revoked_at is null", [
        tokenId,
        at,
      ]);
    },
  };
}
