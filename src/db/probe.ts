import pg from "pg";

/** Asks whether the database answers, without queueing behind the requests' statements. */
export interface DbProbe {
  /** Resolves when the database answered `select 1` within the time limit; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const PING_TIMEOUT_MS = 2000;

/**
 * A connection of its own, outside the pool, opened when first needed and again after it
 * broke: a pool busy with slow statements never delays `/readyz`.
 */
export function openProbe(databaseUrl: string): DbProbe {
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  const drop = (c: pg.Client) => {
    if (client === c) client = undefined;
    c.end().catch(() => {});
  };
  const connected = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      const c = new pg.Client({
        connectionString: databaseUrl,
        connectionTimeoutMillis: PING_TIMEOUT_MS,
        statement_timeout: PING_TIMEOUT_MS,
        query_timeout: PING_TIMEOUT_MS,
      });
      c.on("error", () => drop(c));
      try {
        await c.connect();
      } catch (e) {
        c.end().catch(() => {});
        throw e;
      }
      client = c;
      return c;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };
  return {
    async ping() {
      const c = await connected();
      try {
        await c.query("select 1");
      } catch (e) {
        drop(c);
        throw e;
      }
    },
    async close() {
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
