import path from "node:path";
import type { Db } from "./types.ts";

/**
 * PostgreSQL when a URL is given, else PGlite in `<dataDir>/pgdata`. Each driver is loaded only
 * when used: PGlite alone adds ~45 MB to a process that never needs it.
 */
export async function openDb(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize: number;
  /** PostgreSQL's `statement_timeout` and the longest wait for a pooled connection; 0 = none. */
  statementTimeoutMs?: number;
}): Promise<Db> {
  if (options.databaseUrl) {
    const { openPostgres } = await import("./postgres.ts");
    return openPostgres(options.databaseUrl, options.poolSize, options.statementTimeoutMs ?? 0);
  }
  const { openPglite } = await import("./pglite.ts");
  return openPglite(path.join(options.dataDir, "pgdata"));
}
