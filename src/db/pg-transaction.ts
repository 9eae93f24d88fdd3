import type pg from "pg";
import { statementName } from "./statement-names.ts";
import type { Queryable } from "./types.ts";

/**
 * One transaction on a pooled client in pg's pipeline mode (`pipeline: true`, a public client
 * option): every statement is written at once, and the caller waits only where it needs an
 * answer. The connection is taken from the pool when the first statement is sent (work before
 * it, such as hashing a password, holds none), and `BEGIN` goes out with that statement.
 * Statements whose rows the caller does not read (`defer`: an event append, a code replace, an
 * enqueue) are sent without waiting and answered together with the next `query` or with
 * `COMMIT` — one round trip for a command's writes. PostgreSQL runs them in order; after a
 * failure it refuses the rest of the transaction and answers `COMMIT` with a rollback, so the
 * first failure is thrown, at the next statement awaited or at the commit, still inside the
 * transaction. A transaction that ran no statement sends nothing at all.
 */
export class PgTransaction {
  readonly #connect: () => Promise<pg.PoolClient>;
  #client: Promise<pg.PoolClient> | undefined;
  #connected: pg.PoolClient | undefined;
  #state: "new" | "open" | "committed" = "new";
  /** The first failure of a statement nobody awaited, until it is thrown. */
  #failure: { error: unknown } | undefined;

  constructor(connect: () => Promise<pg.PoolClient>) {
    this.#connect = connect;
  }

  readonly queryable: Queryable = {
    query: (sql, params) => this.#query(sql, params),
    exec: async (sql) => {
      await this.#answer(this.#send(sql));
    },
    defer: (sql, params) => {
      this.#send(this.#config(sql, params)).catch((error: unknown) => {
        this.#failure ??= { error };
      });
    },
  };

  /** The connection, once a statement took one (to publish its notices and to release it). */
  get client(): pg.PoolClient | undefined {
    return this.#connected;
  }

  /** True once the transaction committed: it must then be neither rolled back nor retried. */
  get committed(): boolean {
    return this.#state === "committed";
  }

  /** Commits (with every deferred statement still on its way), unless no statement ran. */
  async commit(): Promise<void> {
    if (this.#state !== "open") return;
    const result = await this.#answer(this.#send("commit"));
    if (result.command === "ROLLBACK") throw new Error("the transaction was aborted and rolled back");
    this.#state = "committed";
  }

  /** Rolls back an open transaction; never throws (the connection may be gone). */
  async rollback(): Promise<void> {
    if (this.#state === "open") await this.#send("rollback").catch(() => {});
  }

  async #query<R>(sql: string, params: readonly unknown[] | undefined): Promise<R[]> {
    return (await this.#answer(this.#send(this.#config(sql, params)))).rows as R[];
  }

  #config(sql: string, params: readonly unknown[] | undefined): pg.QueryConfig {
    if (this.#state === "committed") throw new Error("a statement after the transaction's commit");
    // Named statements are prepared once per connection, then only bound and executed.
    return { name: statementName(sql), text: sql, values: params as unknown[] | undefined };
  }

  /**
   * Writes a statement behind every one sent before it: the first takes the connection and
   * sends `BEGIN` ahead of itself, without waiting for its answer. Callbacks on one promise
   * run in the order they were added, so statements reach pg in the order they were sent.
   */
  #send(statement: string | pg.QueryConfig): Promise<pg.QueryResult> {
    if (!this.#client) {
      this.#state = "open";
      this.#client = this.#connect().then((client) => {
        this.#connected = client;
        client.query("begin").catch((error: unknown) => {
          this.#failure ??= { error };
        });
        return client;
      });
    }
    return this.#client.then((client) => client.query(statement));
  }

  /** A statement's answer, or the failure of a deferred statement sent before it. */
  async #answer<T>(sent: Promise<T>): Promise<T> {
    let answer: T;
    try {
      answer = await sent;
    } catch (e) {
      // Refused because an earlier deferred statement failed: that failure is the cause.
      this.#throwFailure();
      throw e;
    }
    this.#throwFailure();
    return answer;
  }

  /** Throws a deferred failure once: a savepoint may have undone it (`rollback to savepoint`). */
  #throwFailure(): void {
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure.error;
  }
}
