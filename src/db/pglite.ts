import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { Mutex } from "./mutex.ts";
import type { Db, Queryable } from "./types.ts";

/**
 * Embedded PostgreSQL (WASM) in a data folder. It has a single connection, so every statement
 * and every transaction is serialised through one mutex; a transaction's own statements go
 * straight to the connection while it holds the lock.
 */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pg = await PGlite.create(dataDir);
  const lock = new Mutex();
  const direct: Queryable = {
    async query<R>(sql: string, params?: readonly unknown[]) {
      const result = await pg.query<R>(sql, params as unknown[] | undefined);
      return result.rows;
    },
    async exec(sql: string) {
      await pg.exec(sql);
    },
  };
  return {
    kind: "pglite",
    query: (sql, params) => lock.run(() => direct.query(sql, params)),
    exec: (sql) => lock.run(() => direct.exec(sql)),
    transaction: (fn) =>
      lock.run(async () => {
        await pg.exec("begin");
        try {
          const result = await fn(direct);
          await pg.exec("commit");
          return result;
        } catch (e) {
          await pg.exec("rollback");
          throw e;
        }
      }),
    async listen(channel, onNotify) {
      const unsubscribe = await pg.listen(channel, () => onNotify());
      return async () => unsubscribe();
    },
    close: () => lock.run(() => pg.close()),
  };
}
