import type { Queryable } from "../db/types.ts";
import { type Page, pageClause } from "./search.ts";

/** A personal access token as lists show it (never its hash). */
export interface PatView {
  id: string;
  orgId: string;
  userId: string;
  /** Null for tokens without an end (the bootstrap token). */
  expiresAt: Date | null;
  scopes: string[];
  /** The owner's sequence of the token's `added` event (0 for the bootstrap token). */
  sequence: number;
  createdAt: Date;
}

interface PatRow {
  id: string;
  org_id: string;
  user_id: string;
  expires_at: Date | null;
  scopes: string[];
  sequence: number;
  created_at: Date;
}

/** SQL for listing personal access tokens. */
export function tokenListQueries(q: Queryable) {
  return {
    /** One page of a user's tokens that are not removed, expired ones included (as ZITADEL). */
    async byUser(orgId: string, userId: string, page: Page): Promise<{ total: number; tokens: PatView[] }> {
      const params: unknown[] = [orgId, userId];
      const where = "where org_id = $1 and user_id = $2 and revoked_at is null and not console";
      const count = await q.query<{ total: number }>(
        `select count(*)::int as total from tokens ${where}`,
        params,
      );
      const rows = await q.query<PatRow>(
        `select id, org_id, user_id, expires_at, scopes, sequence, created_at from tokens ${where}
          order by created_at ${page.asc ? "asc" : "desc"}, id ${pageClause(page, params)}`,
        params,
      );
      return {
        total: count[0]?.total ?? 0,
        tokens: rows.map((r) => ({
          id: r.id,
          orgId: r.org_id,
          userId: r.user_id,
          expiresAt: r.expires_at,
          scopes: r.scopes,
          sequence: r.sequence,
          createdAt: r.created_at,
        })),
      };
    },
  };
}
