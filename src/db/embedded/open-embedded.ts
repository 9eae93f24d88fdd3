import { openPostgres } from "../postgres.ts";
import type { Db } from "../types.ts";
import { EmbeddedServer, type ServerLog } from "./server.ts";
import { upgradeFromPglite } from "./upgrade-pglite.ts";

/**
 * A pool on the embedded server, which is started first and stopped after the pool closes. While
 * the server is down (it died and is being restarted) the pool's calls fail as connection errors
 * (UNAVAILABLE) and it refills itself once the server is back. A data folder of an earlier
 * version, with a PGlite database, is moved into the server first (upgrade-pglite.ts).
 */
export async function openEmbedded(o: {
  dataDir: string;
  poolSize: number;
  statementTimeoutMs: number;
  log: ServerLog;
}): Promise<Db> {
  const server = new EmbeddedServer({ dataDir: o.dataDir, log: o.log });
  await server.start();
  let db: Db;
  try {
    db = await openPostgres(server.url(), o.poolSize, o.statementTimeoutMs);
    await upgradeFromPglite(o.dataDir, db, o.log).catch(async (e) => {
      await db.close();
      throw e;
    });
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    ...db,
    query: <R>(sql: string, params?: readonly unknown[]) =>
      db.query<R>(sql, params).catch(rethrowAsConnectionFailure),
    exec: (sql) => db.exec(sql).catch(rethrowAsConnectionFailure),
    transaction: (fn) => db.transaction(fn).catch(rethrowAsConnectionFailure),
    async close() {
      await db.close();
      await server.stop();
    },
  };
}

/**
 * While the server restarts, a connection fails in ways that carry no SQLSTATE: the socket file is
 * gone (ENOENT, after a clean stop) or pg's "Connection terminated". Marked `08006`
 * (connection_failure), they answer UNAVAILABLE like every other connection error, never 500.
 */
function rethrowAsConnectionFailure(e: unknown): never {
  const err = e as { code?: unknown; message?: unknown } | null;
  if (
    err &&
    typeof err === "object" &&
    (err.code === "ENOENT" ||
      (err.code === undefined && /^Connection terminated|connection error/i.test(String(err.message))))
  )
    Object.assign(err, { code: "08006" });
  throw e;
}
