import type { Queryable } from "../db/types.ts";
import type { BucketRule } from "../domain/token-bucket.ts";

/** SQL over the durable token buckets. */
export function throttleQueries(q: Queryable) {
  return {
    /**
     * Takes one token from the bucket in one statement (creating a full bucket on first use).
     * Returns false, taking nothing, when less than one token is left.
     */
    async take(key: string, rule: BucketRule, now: Date): Promise<boolean> {
      const rows = await q.query(
        `insert into send_throttle as t (key, tokens, updated_at) values ($1, $2::float8 - 1, $3)
         on conflict (key) do update
           set tokens = least($2::float8, t.tokens + extract(epoch from ($3 - t.updated_at)) * $4::float8) - 1,
               updated_at = $3
           where least($2::float8, t.tokens + extract(epoch from ($3 - t.updated_at)) * $4::float8) >= 1
         returning 1`,
        [key, rule.burst, now, rule.perSecond],
      );
      return rows.length > 0;
    },

    /**
     * Takes one token from each of two buckets in one statement. Returns the keys that had no
     * token left; when any is returned the caller must roll back (the other token was taken).
     */
    async takeBoth(a: [string, BucketRule], b: [string, BucketRule], now: Date): Promise<string[]> {
      const upsert = (k: number, burst: number, rate: number) => `
        insert into send_throttle as t (key, tokens, updated_at) values ($${k}, $${burst}::float8 - 1, $1)
        on conflict (key) do update
          set tokens = least($${burst}::float8, t.tokens + extract(epoch from ($1 - t.updated_at)) * $${rate}::float8) - 1,
              updated_at = $1
          where least($${burst}::float8, t.tokens + extract(epoch from ($1 - t.updated_at)) * $${rate}::float8) >= 1
        returning 1`;
      const rows = await q.query<{ a: number; b: number }>(
        `with a as (${upsert(2, 3, 4)}), b as (${upsert(5, 6, 7)})
         select (select count(*) from a)::int as a, (select count(*) from b)::int as b`,
        [now, a[0], a[1].burst, a[1].perSecond, b[0], b[1].burst, b[1].perSecond],
      );
      const r = rows[0];
      return [...(r?.a ? [] : [a[0]]), ...(r?.b ? [] : [b[0]])];
    },

    /**
     * Takes one token from each of many buckets of one rule in one statement (creating full
     * buckets on first use). Returns the keys that had a token; the others are left as they were.
     * Keys must be distinct.
     */
    async takeEach(keys: readonly string[], rule: BucketRule, now: Date): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows = await q.query<{ key: string }>(
        `insert into send_throttle as t (key, tokens, updated_at)
         select k, $2::float8 - 1, $3 from unnest($1::text[]) as k
         on conflict (key) do update
           set tokens = least($2::float8, t.tokens + extract(epoch from ($3 - t.updated_at)) * $4::float8) - 1,
               updated_at = $3
           where least($2::float8, t.tokens + extract(epoch from ($3 - t.updated_at)) * $4::float8) >= 1
         returning t.key`,
        [keys, rule.burst, now, rule.perSecond],
      );
      return new Set(rows.map((r) => r.key));
    },

    /** The stored state of many buckets, key → state. */
    async states(keys: readonly string[]): Promise<Map<string, { tokens: number; updatedAt: Date }>> {
      const rows = await q.query<{ key: string; tokens: number; updated_at: Date }>(
        "select key, tokens, updated_at from send_throttle where key = any($1::text[])",
        [keys],
      );
      return new Map(rows.map((r) => [r.key, { tokens: Number(r.tokens), updatedAt: r.updated_at }]));
    },

    async state(key: string): Promise<{ tokens: number; updatedAt: Date } | undefined> {
      const rows = await q.query<{ tokens: number; updated_at: Date }>(
        "select tokens, updated_at from send_throttle where key = $1",
        [key],
      );
      const r = rows[0];
      return r && { tokens: Number(r.tokens), updatedAt: r.updated_at };
    },
  };
}
