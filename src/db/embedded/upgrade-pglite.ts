import { existsSync, renameSync } from "node:fs";
import path from "node:path";
import { migrate } from "../migrate.ts";
import { countRows, insertRows, readRows } from "../transfer/copy-rows.ts";
import { listTables, MIGRATIONS_TABLE } from "../transfer/tables.ts";
import type { Db, Queryable } from "../types.ts";
import type { ServerLog } from "./server.ts";

/** Any fixed number: the advisory lock that lets one of several starting processes upgrade. */
const LOCK_KEY = 7_305_119;

/** Where Usher before 0.2 kept its embedded (PGlite) database. */
export function pgliteFolder(dataDir: string): string {
  return path.join(path.resolve(dataDir), "pgdata");
}

/**
 * Moves the data of an earlier version's PGlite database (`<data dir>/pgdata`) into the
 * embedded server, once: the schema is migrated to the PGlite database's version, every table's
 * rows are copied in one transaction and counted on both sides, and the old folder is renamed to
 * `pgdata.pglite-backup` and kept. Nothing happens when there is no such folder, and the copy is
 * skipped (only the rename done) when the server's database already holds an instance — a
 * previous upgrade that stopped before the rename. PGlite is loaded only here.
 */
export async function upgradeFromPglite(dataDir: string, db: Db, log: ServerLog): Promise<void> {
  const source = pgliteFolder(dataDir);
  if (!existsSync(path.join(source, "PG_VERSION"))) return;
  await db.transaction(async (tx) => {
    // Several processes may start at once (--workers N): one copies, the others then find it done.
    await tx.query("select pg_advisory_xact_lock($1)", [LOCK_KEY]);
    if (!existsSync(path.join(source, "PG_VERSION"))) return; // another process did it meanwhile
    if (await hasInstance(tx)) {
      log.warn({ folder: source }, "the PGlite folder was copied before; keeping it as a backup");
      return;
    }
    await copyFromPglite(source, tx, db, log);
  });
  if (!existsSync(source)) return;
  const backup = freeName(`${source}.pglite-backup`);
  renameSync(source, backup);
  log.warn(
    { backup },
    `moved the PGlite database of an earlier Usher into the embedded PostgreSQL; the old folder is kept as ${backup}`,
  );
}

async function copyFromPglite(source: string, tx: Queryable, db: Db, log: ServerLog): Promise<void> {
  const t0 = performance.now();
  const { PGlite } = await import("@electric-sql/pglite");
  const lite = await PGlite.create(source);
  try {
    const q: Queryable = {
      query: async (sql, params) => (await lite.query(sql, params as unknown[] | undefined)).rows as never[],
      exec: async (sql) => {
        await lite.exec(sql);
      },
    };
    const versions = await q.query<{ version: number }>(
      `select version from ${MIGRATIONS_TABLE} order by version`,
    );
    const upTo = versions.at(-1)?.version ?? 0;
    // The schema as the PGlite database had it; the start migrates the rest afterwards.
    await migrate(db, { upTo });
    await lite.exec("begin isolation level repeatable read");
    const tables = await listTables(q);
    for (const table of tables) {
      for await (const rows of readRows(q, table)) await insertRows(tx, table, rows);
    }
    const [from, to] = [await countRows(q, tables), await countRows(tx, tables)];
    await lite.exec("commit");
    for (const t of tables) {
      if (from[t.name] !== to[t.name])
        throw new Error(
          `upgrade from PGlite: ${t.name} has ${from[t.name]} rows there and ${to[t.name]} here`,
        );
    }
    log.info(
      {
        tables: tables.length,
        rows: Object.values(to).reduce((a, b) => a + b, 0),
        schemaVersion: upTo,
        ms: Math.round(performance.now() - t0),
      },
      "copied every table of the PGlite database",
    );
  } finally {
    await lite.close();
  }
}

async function hasInstance(q: Queryable): Promise<boolean> {
  const exists = await q.query<{ t: string | null }>("select to_regclass('public.instance')::text as t");
  if (!exists[0]?.t) return false;
  return (await q.query("select 1 from instance limit 1")).length > 0;
}

function freeName(base: string): string {
  if (!existsSync(base)) return base;
  for (let i = 2; ; i++) if (!existsSync(`${base}-${i}`)) return `${base}-${i}`;
}
