import type pg from "pg";
import { isPrepared, queryBundled } from "./pg-bundled.ts";
import { statementName } from "./statement-names.ts";
import type { Queryable, QueryOptions } from "./types.ts";

/**
 * One transaction on a pooled client. `BEGIN` costs no round trip of its own: it travels with
 * the first statement, and the statement marked `last` carries the `COMMIT` (when the statement
 * is already prepared on this connection; else each is sent just before or after it). A
 * transaction that ran no statement sends nothing at all.
 */
export class PgTransaction {
  readonly #client: pg.PoolClient;
  #state: "new" | "open" | "committed" = "new";

  constructor(client: pg.PoolClient) {
    this.#client = client;
  }

  readonly queryable: Queryable = {
    query: (sql, params, options) => this.#query(sql, params, options),
    exec: async (sql) => {
      await this.#begin();
      await this.#client.query(sql);
    },
  };

  /** True once the transaction committed: it must then be neither rolled back nor retried. */
  get committed(): boolean {
    return this.#state === "committed";
  }

  /** Commits, unless the last statement already did or no statement ran. */
  async commit(): Promise<void> {
    if (this.#state !== "open") return;
    await this.#client.query("commit");
    this.#state = "committed";
  }

  /** Rolls back an open transaction; never throws (the connection may be gone). */
  async rollback(): Promise<void> {
    if (this.#state === "open") await this.#client.query("rollback").catch(() => {});
  }

  async #query<R>(
    sql: string,
    params: readonly unknown[] | undefined,
    options: QueryOptions | undefined,
  ): Promise<R[]> {
    if (this.#state === "committed") throw new Error("a statement after the transaction's last one");
    const config = { name: statementName(sql), text: sql, values: params as unknown[] | undefined };
    const commit = options?.last === true;
    let rows: R[];
    if (isPrepared(this.#client, config.name)) {
      const begin = this.#state === "new";
      this.#state = "open";
      rows = await queryBundled<R>(this.#client, config, { begin, commit });
    } else {
      await this.#begin();
      rows = (await this.#client.query(config)).rows as R[];
      if (commit) await this.#client.query("commit");
    }
    if (commit) this.#state = "committed";
    return rows;
  }

  async #begin(): Promise<void> {
    if (this.#state !== "new") return;
    this.#state = "open";
    await this.#client.query("begin");
  }
}
