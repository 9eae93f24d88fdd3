import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Db, Queryable } from "./types.ts";

const DIR = fileURLToPath(new URL("./migrations/", import.meta.url));
/** Any fixed number: the advisory lock that keeps two starting processes from migrating at once. */
const LOCK_KEY = 7_305_118;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The numbered `NNNN_name.sql` files, in order. */
export function listMigrations(): Migration[] {
  return readdirSync(DIR)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 4)),
      name: f.slice(5, -4),
      sql: readFileSync(DIR + f, "utf8"),
    }));
}

/**
 * Takes the migration lock with no statement timeout for the rest of the transaction: waiting
 * for another process's migration, or a migration of a large table, may take longer than any
 * request should.
 */
async function lockUnbounded(tx: Queryable): Promise<void> {
  await tx.exec("set local statement_timeout = 0");
  await tx.query("select pg_advisory_xact_lock($1)", [LOCK_KEY]);
}

/**
 * Applies the migrations not yet applied, each in its own transaction; returns their names.
 * `upTo` stops after that version (a copy of an older database is loaded into its own schema).
 */
export async function migrate(db: Db, options: { upTo?: number } = {}): Promise<string[]> {
  await db.transaction(async (tx) => {
    await lockUnbounded(tx);
    await tx.exec(
      "create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())",
    );
  });
  const applied: string[] = [];
  for (const m of listMigrations().filter((m) => m.version <= (options.upTo ?? Number.POSITIVE_INFINITY))) {
    const done = await db.transaction(async (tx) => {
      await lockUnbounded(tx);
      const rows = await tx.query("select 1 from schema_migrations where version = $1", [m.version]);
      if (rows.length > 0) return false;
      await tx.exec(m.sql);
      await tx.query("insert into schema_migrations (version, name) values ($1, $2)", [m.version, m.name]);
      return true;
    });
    if (done) applied.push(`${String(m.version).padStart(4, "0")}_${m.name}`);
  }
  return applied;
}
