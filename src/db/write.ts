import type { Queryable } from "./types.ts";

/**
 * Runs a statement whose rows the caller does not read: pipelined in a transaction that can
 * defer it (no round trip of its own), else run and awaited like any other statement.
 */
export async function write(q: Queryable, sql: string, params: readonly unknown[]): Promise<void> {
  if (q.defer) q.defer(sql, params);
  else await q.query(sql, params);
}
