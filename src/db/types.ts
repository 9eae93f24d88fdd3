/** How a statement takes part in its transaction. */
export interface QueryOptions {
  /**
   * The transaction's last statement: the transaction commits with it (on PostgreSQL in the same
   * round trip) and takes no statement after it, so the function must return once it resolves.
   * Ignored outside a transaction and in a joined one (`joinTransaction`).
   */
  last?: boolean;
}

/** A connection or a transaction: what query factories and commands receive. */
export interface Queryable {
  /** Runs one parameterised statement and returns its rows. */
  query<R = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
    options?: QueryOptions,
  ): Promise<R[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
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
