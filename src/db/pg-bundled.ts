import pg from "pg";

/**
 * The parts of pg's connection a statement writes its protocol messages to (pg's own
 * `Query.prepare` uses the same calls).
 */
interface Wire {
  parse(m: { text: string; name?: string }): void;
  bind(m: { portal?: string; statement?: string; values?: unknown[] }): void;
  execute(m: { portal?: string; rows?: number }): void;
  sync(): void;
  parsedStatements: Record<string, string | undefined>;
}

/** The connection of a pooled client: pg keeps it as `client.connection`. */
export function wireOf(client: pg.PoolClient): Wire {
  return (client as unknown as { connection: Wire }).connection;
}

/** Whether `client` has already prepared the named statement (then no Parse is sent for it). */
export function isPrepared(client: pg.PoolClient, name: string): boolean {
  return wireOf(client).parsedStatements[name] !== undefined;
}

/**
 * One named statement sent together with `BEGIN` before it and/or `COMMIT` after it, in one
 * write and one Sync: a transaction's first or last statement costs no round trip of its own.
 * PostgreSQL runs the messages in order and skips the rest after an error, so a failed
 * statement is never committed (the transaction is left aborted for the caller to roll back).
 *
 * Only for a statement this connection has already prepared: pg counts every ParseComplete as
 * the statement's own, so the unnamed `BEGIN`/`COMMIT` parses must not stand in for the
 * statement's first Parse (whose failure pg would then not see).
 */
class Bundled extends pg.Query {
  readonly #begin: boolean;
  readonly #commit: boolean;

  constructor(
    config: pg.QueryConfig,
    begin: boolean,
    commit: boolean,
    callback: (err: Error | undefined, res: unknown) => void,
  ) {
    super(config, undefined, callback);
    this.#begin = begin;
    this.#commit = commit;
  }

  // pg's Query.prepare: Parse (skipped when prepared), Bind, Describe, then _getRows → Execute, Sync.
  prepare(connection: Wire): void {
    if (this.#begin) sendUnnamed(connection, "begin");
    (pg.Query.prototype as unknown as { prepare(c: Wire): void }).prepare.call(this, connection);
  }

  _getRows(connection: Wire): void {
    connection.execute({ portal: "" });
    if (this.#commit) sendUnnamed(connection, "commit");
    connection.sync();
  }
}

function sendUnnamed(connection: Wire, sql: string): void {
  connection.parse({ text: sql, name: "" });
  connection.bind({ portal: "", statement: "", values: [] });
  connection.execute({ portal: "" });
}

/**
 * Runs a prepared statement on `client` with `BEGIN` and/or `COMMIT` around it, resolving to
 * the statement's own rows.
 */
export function queryBundled<R>(
  client: pg.PoolClient,
  config: { name: string; text: string; values: unknown[] | undefined },
  around: { begin: boolean; commit: boolean },
): Promise<R[]> {
  return new Promise((resolve, reject) => {
    const index = around.begin ? 1 : 0;
    const query = new Bundled(config, around.begin, around.commit, (err, res) => {
      if (err) return reject(err);
      const results = res as pg.QueryResult | pg.QueryResult[];
      resolve((Array.isArray(results) ? (results[index] as pg.QueryResult) : results).rows as R[]);
    });
    client.query(query as unknown as pg.QueryConfig);
  });
}
