import type { Db } from "./types.ts";

/** The few log calls opening the database makes (a pino logger fits). */
export interface OpenLog {
  info(o: object, msg: string): void;
  warn(o: object, msg: string): void;
  error(o: object, msg: string): void;
}

const quiet: OpenLog = { info() {}, warn() {}, error() {} };

/**
 * The PostgreSQL at `databaseUrl`, or else the embedded PostgreSQL server in `<dataDir>/pg`,
 * started (and initialised, and filled from an earlier version's PGlite folder) when needed and
 * stopped again by `close()` when this process started it.
 */
export async function openDb(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize: number;
  /** PostgreSQL's `statement_timeout` and the longest wait for a pooled connection; 0 = none. */
  statementTimeoutMs?: number;
  log?: OpenLog | undefined;
}): Promise<Db> {
  const { openPostgres } = await import("./postgres.ts");
  const statementTimeoutMs = options.statementTimeoutMs ?? 0;
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize, statementTimeoutMs);
  const { openEmbedded } = await import("./embedded/open-embedded.ts");
  return openEmbedded({
    dataDir: options.dataDir,
    poolSize: options.poolSize,
    statementTimeoutMs,
    log: options.log ?? quiet,
  });
}
