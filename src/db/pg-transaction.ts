import type pg from "pg";
import { statementName } from "./statement-names.ts";
import type { Queryable } from "./types.ts";

/**
 * One transaction on a pooled client in pg's pipeline mode (`pipeline: true`, public client
 * option): every statement is written at once, and the client waits only where the caller
 * needs an answer. `BEGIN` goes out with the first statement; statements whose rows the caller
 * does not read (`defer`: an event append, a code replace, an enqueue) are sent without
 * waiting and are answered together with the next `query` or with `COMMIT` — one round trip for
 * a command's whole write. PostgreSQL runs them in order; after a failure it refuses the rest
 * of the transaction and turns `COMMIT` into a rollback, so the first failure is the one
 * thrown, at the next statement awaited or at the commit, still inside the transaction. A
 * transaction that ran no statement sends nothing at all.
 */
export class PgTransaction {
  readonly #client: pg.PoolClient;
  #state: "new" | "open" | "committed" = "new";
  /** The first failure of a statement nobody awaited. */
  #failure: { error: unknown } | undefined;

  constructor(client: pg.PoolClient) {
    this.#client = client;
  }

  readonly queryable: Queryable = {
    query: (sql, params) => this.#query(sql, params),
    exec: async (sql) => {
      this.#begin();
      await this.#client.query(sql);
      this.#throwFailure();
    },
    defer: (sql, params) => this.#defer(sql, params),
  };

  /** True once the transaction committed: it must then be neither rolled back nor retried. */
  get committed(): boolean {
    return this.#state === "committed";
  }

  /** Commits (with every deferred statement still on its way), unless no statement ran. */
  async commit(): Promise<void> {
    if (this.#state !== "open") return;
    const result = await this.#client.query("commit");
    // A deferred statement that failed made PostgreSQL answer COMMIT with a rollback.
    this.#throwFailure();
    if (result.command === "ROLLBACK") throw new Error("the transaction was aborted and rolled back");
    this.#state = "committed";
  }

  /** Rolls back an open transaction; never throws (the connection may be gone). */
  async rollback(): Promise<void> {
    if (this.#state === "open") await this.#client.query("rollback").catch(() => {});
  }

  async #query<R>(sql: string, params: readonly unknown[] | undefined): Promise<R[]> {
    this.#begin();
    let rows: R[];
    try {
      rows = (await this.#client.query(this.#config(sql, params))).rows as R[];
    } catch (e) {
      // Refused because an earlier deferred statement failed: that failure is the cause.
      this.#throwFailure();
      throw e;
    }
    this.#throwFailure();
    return rows;
  }

  #defer(sql: string, params: readonly unknown[]): void {
    this.#begin();
    this.#client.query(this.#config(sql, params)).catch((error: unknown) => {
      this.#failure ??= { error };
    });
  }

  #config(sql: string, params: readonly unknown[] | undefined) {
    if (this.#state === "committed") throw new Error("a statement after the transaction's commit");
    // Named statements are prepared once per connection, then only bound and executed.
    return { name: statementName(sql), text: sql, values: params as unknown[] | undefined };
  }

  /** Sends `BEGIN` ahead of the first statement, without waiting for its answer. */
  #begin(): void {
    if (this.#state !== "new") return;
    this.#state = "open";
    this.#client.query("begin").catch((error: unknown) => {
      this.#failure ??= { error };
    });
  }

  /** Throws a deferred failure once: a savepoint may have undone it (`rollback to savepoint`). */
  #throwFailure(): void {
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure.error;
  }
}
