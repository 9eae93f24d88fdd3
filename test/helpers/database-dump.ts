import { spawnSync } from "node:child_process";
import type { Db } from "../../src/db/types.ts";

/** Every table of every schema but PostgreSQL's own, as `schema.table` names. */
export async function allTables(db: Db): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `select quote_ident(n.nspname) || '.' || quote_ident(c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p', 'm')
        and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'
      order by 1`,
  );
  return rows.map((r) => r.name);
}

/**
 * The whole database as text: every row of every table, each as PostgreSQL prints a row
 * (`(a,b,…)`, bytea as hex, jsonb as JSON). Works on PGlite and PostgreSQL alike.
 */
export async function dumpRows(db: Db): Promise<{ text: string; rowsPerTable: Map<string, number> }> {
  const rowsPerTable = new Map<string, number>();
  const parts: string[] = [];
  for (const table of await allTables(db)) {
    const rows = await db.query<{ row: string }>(`select t::text as row from ${table} t`);
    rowsPerTable.set(table, rows.length);
    for (const r of rows) parts.push(`${table}: ${r.row}`);
  }
  return { text: parts.join("\n"), rowsPerTable };
}

/**
 * `pg_dump` of a PostgreSQL database (schema and data, every schema), or `undefined` with the
 * reason when the binary is missing or cannot dump this server.
 */
export function pgDump(url: string): { text?: string; why?: string } {
  const r = spawnSync("pg_dump", ["--no-owner", "--no-privileges", url], {
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.error) return { why: `pg_dump did not run: ${r.error.message}` };
  if (r.status !== 0) return { why: `pg_dump failed: ${r.stderr.trim()}` };
  return { text: r.stdout };
}
