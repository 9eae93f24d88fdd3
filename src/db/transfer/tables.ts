import type { Queryable } from "../types.ts";

/** A table of Usher's schema and the columns to copy (stored ones, in their order). */
export interface Table {
  name: string;
  columns: string[];
}

/** The bookkeeping table of the migrations: recreated by migrating, never copied as data. */
export const MIGRATIONS_TABLE = "schema_migrations";

/**
 * Every table in the `public` schema but the migrations' own, each after the tables its foreign
 * keys point at, so rows can be inserted in this order with every constraint checked.
 */
export async function listTables(q: Queryable): Promise<Table[]> {
  const columns = await q.query<{ table: string; column: string }>(
    `select c.relname as table, a.attname as column
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid
      where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname <> $1
        and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      order by c.relname, a.attnum`,
    [MIGRATIONS_TABLE],
  );
  const edges = await q.query<{ child: string; parent: string }>(
    `select distinct c.relname as child, p.relname as parent
       from pg_constraint k
       join pg_class c on c.oid = k.conrelid
       join pg_class p on p.oid = k.confrelid
       join pg_namespace n on n.oid = c.relnamespace
      where k.contype = 'f' and n.nspname = 'public' and c.oid <> p.oid`,
  );
  const byName = new Map<string, string[]>();
  for (const r of columns) byName.set(r.table, [...(byName.get(r.table) ?? []), r.column]);
  const parents = new Map<string, Set<string>>();
  for (const e of edges) parents.set(e.child, new Set([...(parents.get(e.child) ?? []), e.parent]));
  const ordered: Table[] = [];
  const placed = new Set<string>();
  const visit = (name: string, path: Set<string>): void => {
    if (placed.has(name) || path.has(name)) return;
    path.add(name);
    for (const p of [...(parents.get(name) ?? [])].sort()) if (byName.has(p)) visit(p, path);
    placed.add(name);
    ordered.push({ name, columns: byName.get(name) ?? [] });
  };
  for (const name of [...byName.keys()].sort()) visit(name, new Set());
  return ordered;
}

/** A quoted identifier. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
