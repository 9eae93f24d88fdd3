/** A connection or a transaction: what query factories and commands receive. */
export interface Queryable {
  /** Runs one parameterised statement and returns its rows. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * A transaction's way to run a statement whose rows nobody reads: sent at once, not waited
   * for, answered with the next `query` or the commit; its failure is thrown there, still
   * inside the transaction. Use it through `write`, which falls back to `query` elsewhere.
   */
  defer?(sql: string, params: readonly unknown[]): void;
}

/** The database: a PostgreSQL pool (on the embedded server or on DATABASE_URL's). */
export interface Db extends Queryable {
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to `NOTIFY channel` from every process, and to the change notices
   * (`usher:changed:<channel>`, see change-notices.ts) this process's own statements raise —
   * those are heard before the writing call returns. `onLive` says whether other processes are
   * being heard: false while the listening connection is broken, true again once it is back
   * (then `onNotify` runs too). Resolves to an unsubscribe function.
   */
  listen(
    channel: string,
    onNotify: () => void,
    onLive?: (live: boolean) => void,
  ): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** Where the pool connects; `/readyz` pings through a connection of its own there. */
  readonly connectionString: string;
}
