import type { Queryable } from "../db/types.ts";

export interface ApiKeyRow {
  id: string;
  user_id: string;
  token_id: string;
  name: string;
  roles: string[];
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const SELECT = `select k.id, k.user_id, k.token_id, k.name, k.roles, k.created_at,
  t.last_used_at, t.expires_at, t.revoked_at
  from api_keys k join tokens t on t.id = k.token_id`;

/** SQL over tenant API keys (each one a service account with one token). */
export function apiKeyQueries(q: Queryable) {
  return {
    async insert(k: {
      orgId: string;
      id: string;
      userId: string;
      tokenId: string;
      name: string;
      roles: string[];
      at: Date;
    }) {
      await q.query(
        "insert into api_keys (org_id, id, user_id, token_id, name, roles, created_at) values ($1,$2,$3,$4,$5,$6,$7)",
        [k.orgId, k.id, k.userId, k.tokenId, k.name, k.roles, k.at],
      );
    },
    async get(orgId: string, id: string): Promise<ApiKeyRow | undefined> {
      return (await q.query<ApiKeyRow>(`${SELECT} where k.org_id = $1 and k.id = $2`, [orgId, id]))[0];
    },
    /** Newest first after the cursor; one extra row tells whether more follow. */
    async list(
      orgId: string,
      limit: number,
      after?: { createdAt: string; id: string },
    ): Promise<ApiKeyRow[]> {
      const params: unknown[] = [orgId, limit + 1];
      let where = "k.org_id = $1";
      if (after) {
        params.push(after.createdAt, after.id);
        where += " and (k.created_at, k.id) < ($3::timestamptz, $4)";
      }
      return q.query<ApiKeyRow>(
        `${SELECT} where ${where} order by k.created_at desc, k.id desc limit $2`,
        params,
      );
    },
  };
}
