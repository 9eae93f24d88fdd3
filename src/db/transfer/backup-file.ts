import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import { listMigrations, migrate } from "../migrate.ts";
import type { Db } from "../types.ts";
import { countRows, insertRows, readRows, type TextRow } from "./copy-rows.ts";
import { ident, listTables, MIGRATIONS_TABLE, type Table } from "./tables.ts";

/**
 * `usher db backup` writes a plain SQL file: a header with the schema version, then one
 * `COPY … FROM stdin` block of text-format rows per table (PostgreSQL's own dump format for data).
 * The package ships no pg_dump, and Usher's schema is its migrations: the file holds the data and
 * says which migrations it belongs to. `usher db restore` migrates an empty database to that
 * version, loads the rows in one transaction and checks every table's count; psql can also load
 * it into a database that `usher migrate` prepared.
 */
const FORMAT = "usher-backup 1";
const INSERT_BATCH = 1000;

/** Writes every table of `db` as seen by one snapshot; returns the rows written per table. */
export async function writeBackup(db: Db, file: string): Promise<Record<string, number>> {
  const out = createWriteStream(file, { mode: 0o600 });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  const counts: Record<string, number> = {};
  try {
    await db.transaction(async (tx) => {
      await tx.exec("set transaction isolation level repeatable read, read only");
      const version = await schemaVersion(tx);
      await write(
        `-- ${FORMAT}\n-- schema-version: ${version}\n-- taken-at: ${new Date().toISOString()}\n` +
          "-- Restore: `usher db restore FILE` into an empty database (it migrates it first);\n" +
          `-- or \`usher migrate\` to version ${version} and \`psql -1 -v ON_ERROR_STOP=1 -f FILE\`.\n` +
          "set client_encoding = 'UTF8';\n",
      );
      for (const table of await listTables(tx)) {
        await write(`\ncopy ${ident(table.name)} (${table.columns.map(ident).join(", ")}) from stdin;\n`);
        let n = 0;
        for await (const rows of readRows(tx, table)) {
          await write(rows.map((r) => `${r.map(encode).join("\t")}\n`).join(""));
          n += rows.length;
        }
        await write(`\\.\n-- rows: ${n}\n`);
        counts[table.name] = n;
      }
      await write("\n-- end of backup\n");
    });
  } finally {
    out.end();
    await once(out, "close");
  }
  return counts;
}

/**
 * Loads a backup into `db`, which must hold no Usher data yet; migrates it to the backup's
 * version before and to this Usher's after. Returns the rows loaded per table.
 */
export async function restoreBackup(db: Db, file: string): Promise<Record<string, number>> {
  const lines = createInterface({
    input: createReadStream(file, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const it = lines[Symbol.asyncIterator]();
  const next = async () => {
    const r = await it.next();
    return r.done ? undefined : (r.value as string);
  };
  if ((await next()) !== `-- ${FORMAT}`) throw new Error(`${file} is not a Usher backup (${FORMAT})`);
  const version = Number(/^-- schema-version: (\d+)$/.exec((await next()) ?? "")?.[1] ?? Number.NaN);
  const known = listMigrations().at(-1)?.version ?? 0;
  if (!Number.isInteger(version)) throw new Error(`${file}: no schema version in its header`);
  if (version > known)
    throw new Error(
      `${file} is of schema version ${version}; this Usher knows up to ${known}: upgrade Usher first`,
    );
  if (await holdsData(db))
    throw new Error(
      "the database already holds Usher data: restore into an empty one (a new data folder, or a new database on DATABASE_URL)",
    );
  await migrate(db, { upTo: version });
  const loaded: Record<string, number> = {};
  let ended = false;
  await db.transaction(async (tx) => {
    const tables = new Map((await listTables(tx)).map((t) => [t.name, t]));
    const expected: Record<string, number> = {};
    for (let line = await next(); line !== undefined; line = await next()) {
      if (line === "-- end of backup") ended = true;
      const copy = /^copy "((?:[^"]|"")+)" \((.*)\) from stdin;$/.exec(line);
      if (!copy) continue;
      const name = (copy[1] as string).replaceAll('""', '"');
      const columns = [...(copy[2] as string).matchAll(/"((?:[^"]|"")+)"/g)].map((m) =>
        (m[1] as string).replaceAll('""', '"'),
      );
      if (!tables.has(name)) throw new Error(`${file}: table ${name} is not in schema version ${version}`);
      const table: Table = { name, columns };
      let batch: TextRow[] = [];
      let n = 0;
      for (let row = await next(); row !== "\\."; row = await next()) {
        if (row === undefined) throw new Error(`${file}: the rows of ${name} end without \\.`);
        batch.push(row.split("\t").map(decode));
        if (batch.length >= INSERT_BATCH) {
          await insertRows(tx, table, batch);
          n += batch.length;
          batch = [];
        }
      }
      await insertRows(tx, table, batch);
      n += batch.length;
      loaded[name] = n;
      expected[name] = Number(/^-- rows: (\d+)$/.exec((await next()) ?? "")?.[1] ?? Number.NaN);
    }
    if (!ended) throw new Error(`${file} is cut short (no "-- end of backup")`);
    const counts = await countRows(
      tx,
      [...tables.values()].filter((t) => t.name in expected),
    );
    for (const [name, n] of Object.entries(expected))
      if (counts[name] !== n)
        throw new Error(`${file}: ${name} should have ${n} rows, loaded ${counts[name]}`);
  });
  await migrate(db);
  return loaded;
}

async function schemaVersion(q: Pick<Db, "query">): Promise<number> {
  const rows = await q.query<{ v: number | null }>(`select max(version) as v from ${MIGRATIONS_TABLE}`);
  return rows[0]?.v ?? 0;
}

/** Whether an instance was bootstrapped (or restored) in `db`. */
async function holdsData(db: Db): Promise<boolean> {
  const exists = await db.query<{ t: string | null }>("select to_regclass('public.instance')::text as t");
  if (!exists[0]?.t) return false;
  return (await db.query("select 1 from instance limit 1")).length > 0;
}

/** COPY's text format: backslash escapes, `\N` for NULL. */
function encode(value: string | null): string {
  if (value === null) return "\\N";
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r",
  );
}

function decode(field: string): string | null {
  if (field === "\\N") return null;
  return field.replace(/\\(.)/g, (_, c: string) =>
    c === "t"
      ? "\t"
      : c === "n"
        ? "\n"
        : c === "r"
          ? "\r"
          : c === "b"
            ? "\b"
            : c === "f"
              ? "\f"
              : c === "v"
                ? "\v"
                : c,
  );
}
