import type { Queryable } from "../db/types.ts";
import { write } from "../db/write.ts";
import type { CodeKind, StoredCode } from "../domain/code-kind.ts";

export interface CodeRow {
  kind: CodeKind;
  code_hash: string | null;
  created_at: Date;
  expires_at: Date;
  failed_attempts: number;
  code_returned: boolean;
  url_template: string;
  application_name: string;
  auth_request_id: string;
  email: string | null;
}

export const toCode = (r: CodeRow): StoredCode => ({
  kind: r.kind,
  codeHash: r.code_hash,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  failedAttempts: r.failed_attempts,
  codeReturned: r.code_returned,
  urlTemplate: r.url_template,
  applicationName: r.application_name,
  authRequestId: r.auth_request_id,
  email: r.email,
});

/** SQL over the one-row-per-kind code table. */
export function codeQueries(q: Queryable) {
  return {
    async get(orgId: string, userId: string, kind: CodeKind): Promise<StoredCode | undefined> {
      const rows = await q.query<CodeRow>(
        "select * from user_codes where org_id = $1 and user_id = $2 and kind = $3",
        [orgId, userId, kind],
      );
      return rows[0] && toCode(rows[0]);
    },

    /**
     * Stores a new code of its kind for the user, replacing the previous one (one row per user
     * and kind). Nobody reads its rows: a transaction pipelines it (`write`).
     */
    async replace(orgId: string, userId: string, c: StoredCode): Promise<void> {
      await write(
        q,
        `insert into user_codes (org_id, user_id, kind, code_hash, created_at, expires_at, failed_attempts,
           code_returned, url_template, application_name, auth_request_id, email)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         on conflict (org_id, user_id, kind) do update set code_hash = excluded.code_hash,
           created_at = excluded.created_at, expires_at = excluded.expires_at,
           failed_attempts = excluded.failed_attempts, code_returned = excluded.code_returned,
           url_template = excluded.url_template, application_name = excluded.application_name,
           auth_request_id = excluded.auth_request_id, email = excluded.email`,
        [
          orgId,
          userId,
          c.kind,
          c.codeHash,
          c.createdAt,
          c.expiresAt,
          c.failedAttempts,
          c.codeReturned,
          c.urlTemplate,
          c.applicationName,
          c.authRequestId,
          c.email,
        ],
      );
    },

    /** Counts a failed check; `discard` forgets the code itself (settings are kept for inheritance). */
    async recordFailure(orgId: string, userId: string, kind: CodeKind, discard: boolean): Promise<void> {
      await q.query(
        `update user_codes set failed_attempts = failed_attempts + 1,
           code_hash = case when $4 then null else code_hash end,
           code_returned = case when $4 then false else code_returned end
         where org_id = $1 and user_id = $2 and kind = $3`,
        [orgId, userId, kind, discard],
      );
    },

    /** Forgets every outstanding code of the user, of all kinds (its address changed). */
    async voidAll(orgId: string, userId: string): Promise<void> {
      await q.query(
        `update user_codes set code_hash = null, code_returned = false
          where org_id = $1 and user_id = $2 and code_hash is not null`,
        [orgId, userId],
      );
    },

    /** Forgets the code after a successful check (or when the email became verified). */
    async consume(orgId: string, userId: string, kind: CodeKind): Promise<void> {
      await q.query(
        "update user_codes set code_hash = null, code_returned = false where org_id = $1 and user_id = $2 and kind = $3",
        [orgId, userId, kind],
      );
    },
  };
}
