import pg from "pg";

/** Throwaway PostgreSQL databases, made through an admin connection and dropped after. */
export class Databases {
  readonly #adminUrl: string;
  readonly #made: string[] = [];

  constructor(adminUrl: string) {
    this.#adminUrl = adminUrl;
  }

  /** Creates `name` and returns its URL. */
  async create(name: string): Promise<string> {
    await this.admin(`create database "${name}"`);
    this.#made.push(name);
    const url = new URL(this.#adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  /** Drops every database this object made (force: closes connections left behind). */
  async dropAll(): Promise<void> {
    while (this.#made.length > 0) {
      const name = this.#made.pop() as string;
      await this.admin(`drop database if exists "${name}" with (force)`).catch((e: unknown) => {
        process.stderr.write(`could not drop ${name}: ${(e as Error).message}\n`);
      });
    }
  }

  /** One statement on the admin database; returns its rows. */
  async admin<R = Record<string, unknown>>(sql: string): Promise<R[]> {
    const client = new pg.Client({ connectionString: this.#adminUrl });
    await client.connect();
    try {
      return (await client.query(sql)).rows as R[];
    } finally {
      await client.end();
    }
  }
}

/** Runs `fn` with one client of the database at `url`. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
