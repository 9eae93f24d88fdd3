import { openPostgres } from "../postgres.ts";
import type { Db } from "../types.ts";
import { EmbeddedServer, type ServerLog } from "./server.ts";

/**
 * A pool on the embedded server, which is started first and stopped after the pool closes. While
 * the server is down (it died and is being restarted) the pool's calls fail as connection errors
 * (UNAVAILABLE) and it refills itself once the server is back.
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
  } catch (e) {
    await server.stop();
    throw e;
  }
  return {
    ...db,
    async close() {
      await db.close();
      await server.stop();
    },
  };
}
