import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { ChangeNotices, changedChannel } from "./change-notices.ts";
import { Mutex } from "./mutex.ts";
import type { Db, Queryable, QueryOptions } from "./types.ts";

/**
 * Embedded PostgreSQL (WASM) in a data folder. It has a single connection, so every statement
 * and every transaction is serialised through one mutex; a transaction's own statements go
 * straight to the connection while it holds the lock.
 */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir);
  const lock = new Mutex();
  // Change notices raised by the statements of a transaction (or of one statement), published
  // once it has ended.
  const notices = new ChangeNotices();
  const pending = new Set<string>();
  const onNotice = (n: { message?: string | undefined }): void => {
    const channel = changedChannel(n.message);
    if (channel) pending.add(channel);
  };
  const publishing = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } finally {
      if (pending.size > 0) {
        const channels = [...pending];
        pending.clear();
        notices.publish(channels);
      }
    }
  };
  const direct: Queryable = {
    async query<R>(sql: string, params?: readonly unknown[]) {
      const result = await pg.query<R>(sql, params as unknown[] | undefined, { onNotice });
      return result.rows;
    },
    async exec(sql: string) {
      await pg.exec(sql, { onNotice });
    },
  };
  return {
    kind: "pglite",
    query: (sql, params) => lock.run(() => publishing(() => direct.query(sql, params))),
    exec: (sql) => lock.run(() => publishing(() => direct.exec(sql))),
    transaction: (fn) =>
      lock.run(() =>
        publishing(async () => {
          await pg.exec("begin");
          const tx = new LastAware(direct);
          try {
            const result = await fn(tx.queryable);
            if (!tx.committed) await pg.exec("commit");
            return result;
          } catch (e) {
            if (!tx.committed) await pg.exec("rollback");
            throw e;
          }
        }),
      ),
    // One process owns the data folder: every change is this process's own, heard as a notice.
    async listen(channel, onNotify, onLive) {
      const local = notices.subscribe(channel, onNotify);
      const unsubscribe = await pg.listen(channel, () => onNotify());
      onLive?.(true);
      return async () => {
        local();
        await unsubscribe();
      };
    },
    close: () => lock.run(() => pg.close()),
  };
}

/**
 * A transaction's statements where one marked `last` commits, and none may follow it — the same
 * contract as on PostgreSQL, where that statement carries the `COMMIT` in its round trip.
 */
class LastAware {
  committed = false;
  readonly queryable: Queryable;

  constructor(q: Queryable) {
    const check = (): void => {
      if (this.committed) throw new Error("a statement after the transaction's last one");
    };
    this.queryable = {
      query: async <R>(sql: string, params?: readonly unknown[], options?: QueryOptions) => {
        check();
        const rows = await q.query<R>(sql, params);
        if (options?.last) {
          await q.exec("commit");
          this.committed = true;
        }
        return rows;
      },
      exec: async (sql) => {
        check();
        await q.exec(sql);
      },
    };
  }
}
