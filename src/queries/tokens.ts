import type { Queryable } from "../db/types.ts";

export interface TokenOwner {
  tokenId: string;
  userId: string;
  orgId: string;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  memberships: Array<{ orgId: string; roles: string[] }>;
}

/** SQL over personal access tokens and the memberships of their owners. */
export function tokenQueries(q: Queryable) {
  return {
    /** The owner of a live token (not revoked, not expired, user still existing), with its roles. */
    ownerOf(tokenHash: string, now: Date): Promise<TokenOwner | undefined> {
      return liveOwner(q, "t.token_hash = $1", tokenHash, now);
    },

    /** As `ownerOf`, by the token's id: a job started with a token keeps its rights, and loses them with it. */
    ownerById(tokenId: string, now: Date): Promise<TokenOwner | undefined> {
      return liveOwner(q, "t.id = $1", tokenId, now);
    },

    /** Records that a token was used (callers do this at most once a minute per token). */
    async touch(tokenId: string, at: Date): Promise<void> {
      await q.query("update tokens set last_used_at = $2 where id = $1", [tokenId, at]);
    },

    async insert(t: {
      id: string;
      orgId: string;
      userId: string;
      tokenHash: string;
      expiresAt: Date | null;
      at: Date;
    }) {
      await q.query(
        "insert into tokens (id, org_id, user_id, token_hash, created_at, expires_at) values ($1,$2,$3,$4,$5,$6)",
        [t.id, t.orgId, t.userId, t.tokenHash, t.at, t.expiresAt],
      );
    },

    /** Stores a personal access token created through the API, with its scopes and sequence. */
    async insertPat(t: {
      id: string;
      orgId: string;
      userId: string;
      tokenHash: string;
      expiresAt: Date | null;
      scopes: readonly string[];
      sequence: number;
      at: Date;
    }) {
      await q.query(
        `insert into tokens (id, org_id, user_id, token_hash, created_at, expires_at, scopes, sequence)
         values ($1,$2,$3,$4,$5,$6,$7,$8)`,
        [t.id, t.orgId, t.userId, t.tokenHash, t.at, t.expiresAt, t.scopes, t.sequence],
      );
    },

    /** Whether the user holds a token with this id that is not removed (expired ones count). */
    async patExists(orgId: string, userId: string, tokenId: string): Promise<boolean> {
      const rows = await q.query(
        "select 1 from tokens where org_id = $1 and user_id = $2 and id = $3 and revoked_at is null and not console",
        [orgId, userId, tokenId],
      );
      return rows.length > 0;
    },

    /** Revokes every live token of a user; answers the ids it revoked. */
    async revokeAllOf(orgId: string, userId: string, at: Date): Promise<string[]> {
      const rows = await q.query<{ id: string }>(
        `update tokens set revoked_at = $3
          where org_id = $1 and user_id = $2 and revoked_at is null returning id`,
        [orgId, userId, at],
      );
      return rows.map((r) => r.id).sort();
    },

    /** Removes a token: it stops authenticating at once; the row stays for the audit trail. */
    async revoke(tokenId: string, at: Date): Promise<void> {
      await q.query("update tokens set revoked_at = $2 where id = $1 and revoked_at is null", [tokenId, at]);
    },
  };
}

async function liveOwner(
  q: Queryable,
  where: "t.token_hash = $1" | "t.id = $1",
  value: string,
  now: Date,
): Promise<TokenOwner | undefined> {
  const rows = await q.query<{
    id: string;
    user_id: string;
    org_id: string;
    m_org: string | null;
    roles: string[] | null;
    last_used_at: Date | null;
    expires_at: Date | null;
  }>(
    `select t.id, t.user_id, t.org_id, t.last_used_at, t.expires_at, m.org_id as m_org, m.roles
       from tokens t
       join users u on u.org_id = t.org_id and u.id = t.user_id and u.state in (1, 6)
       left join members m on m.user_id = t.user_id
      where ${where} and t.revoked_at is null and (t.expires_at is null or t.expires_at > $2)`,
    [value, now],
  );
  const first = rows[0];
  if (!first) return undefined;
  return {
    tokenId: first.id,
    userId: first.user_id,
    orgId: first.org_id,
    lastUsedAt: first.last_used_at,
    expiresAt: first.expires_at,
    memberships: rows
      .filter((r) => r.m_org !== null)
      .map((r) => ({ orgId: r.m_org as string, roles: r.roles ?? [] })),
  };
}
