import type { Queryable } from "../types.ts";
import { ident, type Table } from "./tables.ts";

/** A row as the text form of each column (null for NULL): every type round-trips through it. */
export type TextRow = Array<string | null>;

const READ_BATCH = 1000;
/** PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMS = 60_000;

/**
 * Reads every row of `table` as text, a batch at a time, through a cursor: `q` must be a
 * transaction (the snapshot all batches see).
 */
export async function* readRows(q: Queryable, table: Table): AsyncGenerator<TextRow[]> {
  const cursor = `usher_copy_${table.name}`;
  const select = table.columns.map((c) => `${ident(c)}::text`).join(", ");
  await q.exec(`declare ${ident(cursor)} no scroll cursor for select ${select} from ${ident(table.name)}`);
  try {
    for (;;) {
      const rows = await q.query<Record<string, string | null>>(`fetch ${READ_BATCH} from ${ident(cursor)}`);
      if (rows.length === 0) return;
      yield rows.map((r) => Object.values(r));
    }
  } finally {
    await q.exec(`close ${ident(cursor)}`);
  }
}

/** Inserts text rows into `table`; PostgreSQL reads each value as its column's type. */
export async function insertRows(q: Queryable, table: Table, rows: TextRow[]): Promise<void> {
  const width = table.columns.length;
  const perStatement = Math.max(1, Math.min(READ_BATCH, Math.floor(MAX_PARAMS / width)));
  const columns = table.columns.map(ident).join(", ");
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values = chunk.map(
      (_, i) => `(${table.columns.map((_, j) => `$${i * width + j + 1}`).join(", ")})`,
    );
    await q.query(`insert into ${ident(table.name)} (${columns}) values ${values.join(", ")}`, chunk.flat());
  }
}

/** Rows per table, for a check after a copy. */
export async function countRows(q: Queryable, tables: Table[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of tables) {
    const rows = await q.query<{ n: string }>(`select count(*)::text as n from ${ident(t.name)}`);
    counts[t.name] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}
