import pg from "pg";
import { ChangeNotices, changedChannel } from "./change-notices.ts";
import { wireOf } from "./pg-bundled.ts";
import { PgListener } from "./pg-listener.ts";
import { PgTransaction } from "./pg-transaction.ts";
import { statementName } from "./statement-names.ts";
import type { Db, Queryable } from "./types.ts";

/** Errors after which a whole transaction may simply run again. */
const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_TRIES = 5;

function isRetryable(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && RETRYABLE.has(code);
}

/**
 * A pooled connection to PostgreSQL (`DATABASE_URL`). `statementTimeoutMs` (0: none) bounds
 * every statement: it travels in each connection's startup message, so it costs no round trip
 * per request; it also bounds the wait for a free connection.
 */
export async function openPostgres(url: string, poolSize: number, statementTimeoutMs = 0): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    ...(statementTimeoutMs > 0
      ? { statement_timeout: statementTimeoutMs, connectionTimeoutMillis: statementTimeoutMs }
      : {}),
  });
  // A broken idle connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  const notices = new ChangeNotices();
  pool.on("connect", (client) => heedChangeNotices(client, notices));
  const listener = new PgListener(url);
  const base: Queryable = {
    async query<R>(sql: string, params?: readonly unknown[]) {
      // Named statements are prepared once per connection and then only bound and executed,
      // which saves PostgreSQL the parse and plan of every call (about 1.7× the throughput).
      const config = { name: statementName(sql), text: sql, values: params as unknown[] | undefined };
      // A statement of its own is its own transaction: after a deadlock or serialization
      // failure nothing of it remains, so it may simply run again. Inside a transaction the
      // whole transaction is retried instead (below).
      for (let attempt = 1; ; attempt++) {
        try {
          return (await pool.query(config)).rows as R[];
        } catch (e) {
          if (!(isRetryable(e) && attempt < MAX_TRIES)) throw e;
        }
      }
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
  };
  await pool.query("select 1");
  return {
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        const tx = new PgTransaction(client);
        try {
          const result = await fn(tx.queryable);
          await tx.commit();
          return result;
        } catch (e) {
          await tx.rollback();
          if (!(isRetryable(e) && attempt < MAX_TRIES && !tx.committed)) throw e;
        } finally {
          client.release();
        }
      }
    },
    async listen(channel, onNotify, onLive) {
      const local = notices.subscribe(channel, onNotify);
      const remote = await listener.subscribe(channel, { onNotify, onLive });
      return async () => {
        local();
        await remote();
      };
    },
    connectionString: url,
    async close() {
      await listener.close();
      await pool.end();
    },
  };
}

/**
 * Collects the change notices a connection's statements raise and publishes them when the
 * connection is next idle (ReadyForQuery "I": the transaction committed or rolled back). pg
 * settles the statement's promise in the same event, so subscribers hear of the change before
 * the code that wrote it continues.
 */
function heedChangeNotices(client: pg.PoolClient, notices: ChangeNotices): void {
  const pending = new Set<string>();
  client.on("notice", (n) => {
    const channel = changedChannel(n.message);
    if (channel) pending.add(channel);
  });
  (wireOf(client) as unknown as NodeJS.EventEmitter).on("readyForQuery", (m: { status?: string }) => {
    if (m.status !== "I" || pending.size === 0) return;
    const channels = [...pending];
    pending.clear();
    notices.publish(channels);
  });
}
