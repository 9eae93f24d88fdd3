import assert from "node:assert/strict";

/** Something that runs SQL: the test app's database handle. */
interface Sql {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/**
 * What the delivery worker and authentication write later or on their own, so a refused call is
 * not blamed for it: a message's delivery state, webhook delivery state, when a token was last
 * used. Every other column of every table is compared, so a table added later is covered at once.
 */
const WRITTEN_ELSEWHERE: Readonly<Record<string, readonly string[] | "all">> = {
  schema_migrations: "all",
  mailbox: "all",
  delivery_circuit: "all",
  webhook_attempts: "all",
  outbox: [
    "status",
    "attempts",
    "next_attempt_at",
    "locked_until",
    "last_error",
    "updated_at",
    "sent_at",
    "provider",
    "secret",
  ],
  webhook_deliveries: [
    "status",
    "attempts",
    "next_attempt_at",
    "locked_until",
    "last_status",
    "last_error",
    "updated_at",
    "delivered_at",
  ],
  // `*.code.sent` events (left out below) advance the user's sequence.
  users: ["sequence", "updated_at"],
  user_codes: ["send_count", "last_sent_at"],
  tokens: ["last_used_at"],
};

/** The digest statement per database handle, built once from the schema. */
const statements = new WeakMap<Sql, string>();

/** One statement digesting every table's rows (but what `WRITTEN_ELSEWHERE` names), in a stable order. */
async function footprintQuery(db: Sql): Promise<string> {
  const tables = await db.query<{ table_name: string; columns: string[] }>(
    `select table_name::text, array_agg(column_name::text order by ordinal_position) as columns
       from information_schema.columns where table_schema = current_schema()
      group by table_name order by table_name`,
  );
  const parts = tables.flatMap(({ table_name: table, columns }) => {
    const skip = WRITTEN_ELSEWHERE[table] ?? [];
    if (skip === "all") return [];
    const kept = columns.filter((c) => !skip.includes(c)).map((c) => `"${c}"`);
    const where = table === "events" ? " where type not like '%.code.sent'" : "";
    return [
      `select '${table}' as name, count(*)::int as rows,
              md5(coalesce(string_agg(r::text, '|' order by r::text), '')) as digest
         from (select ${kept.join(", ")} from "${table}"${where}) r`,
    ];
  });
  assert.ok(parts.length >= 15, `the footprint covers the schema's tables (${parts.length})`);
  return parts.join(" union all ");
}

/**
 * Every table's row count and the digest of its rows' contents (but the tables in `except`),
 * to compare before and after something that must change nothing: a table added later is
 * covered at once.
 */
export async function tableFootprint(
  db: Sql,
  except: readonly string[] = [],
): Promise<Record<string, { rows: number; digest: string }>> {
  let sql = statements.get(db);
  if (sql === undefined) {
    sql = await footprintQuery(db);
    statements.set(db, sql);
  }
  const digests = await db.query<{ name: string; rows: number; digest: string }>(sql);
  return Object.fromEntries(
    digests.filter((d) => !except.includes(d.name)).map((d) => [d.name, { rows: d.rows, digest: d.digest }]),
  );
}
