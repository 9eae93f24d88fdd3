import type { Queryable } from "../db/types.ts";

export interface IdempotencyRecord {
  fingerprint: string;
  status: "pending" | "done";
  response: string | null;
}

/** SQL over Idempotency-Key records. */
export function idempotencyQueries(q: Queryable) {
  return {
    /**
     * Claims a key for this request: a new key, one older than `expiredBefore`, or a pending one
     * abandoned before `stalePendingBefore` (its process died). True when the caller owns it.
     */
    async claim(
      scope: string,
      key: string,
      fingerprint: string,
      now: Date,
      expiredBefore: Date,
      stalePendingBefore: Date,
    ) {
      const rows = await q.query(
        `insert into idempotency_keys as k (scope, key, fingerprint, status, created_at) values ($1, $2, $3, 'pending', $4)
         on conflict (scope, key) do update
           set fingerprint = excluded.fingerprint, status = 'pending', response = null,
               created_at = excluded.created_at, completed_at = null
           where k.created_at < $5 or (k.status = 'pending' and k.created_at < $6)
         returning 1`,
        [scope, key, fingerprint, now, expiredBefore, stalePendingBefore],
      );
      return rows.length > 0;
    },

    async get(scope: string, key: string): Promise<IdempotencyRecord | undefined> {
      const rows = await q.query<IdempotencyRecord>(
        "select fingerprint, status, response from idempotency_keys where scope = $1 and key = $2",
        [scope, key],
      );
      return rows[0];
    },

    async complete(scope: string, key: string, response: string, now: Date): Promise<void> {
      await q.query(
        "update idempotency_keys set status = 'done', response = $3, completed_at = $4 where scope = $1 and key = $2",
        [scope, key, response, now],
      );
    },

    /** Deletes the records older than the replay window (a stale pending claim too). */
    async purge(before: Date): Promise<void> {
      await q.query("delete from idempotency_keys where created_at < $1", [before]);
    },

    /** Forgets a pending claim whose request failed, so a retry runs it again. */
    async release(scope: string, key: string): Promise<void> {
      await q.query("delete from idempotency_keys where scope = $1 and key = $2 and status = 'pending'", [
        scope,
        key,
      ]);
    },
  };
}
