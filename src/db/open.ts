import path from "node:path";
import { openPglite } from "./pglite.ts";
import { openPostgres } from "./postgres.ts";
import type { Db } from "./types.ts";

/** PostgreSQL when a URL is given, else PGlite in `<dataDir>/pgdata`. */
export function openDb(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize: number;
}): Promise<Db> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize);
  return openPglite(path.join(options.dataDir, "pgdata"));
}
