import type { Queryable } from "../db/types.ts";

export interface Org {
  id: string;
  name: string;
  primaryDomain: string;
}

/** SQL over organizations. */
export function orgQueries(q: Queryable) {
  return {
    async exists(id: string): Promise<boolean> {
      return (await q.query("select 1 from organizations where id = $1 and state = 1", [id])).length > 0;
    },
    async byDomain(domain: string): Promise<Org | undefined> {
      const rows = await q.query<{ id: string; name: string; primary_domain: string }>(
        "select id, name, primary_domain from organizations where lower(primary_domain) = lower($1)",
        [domain],
      );
      const r = rows[0];
      return r && { id: r.id, name: r.name, primaryDomain: r.primary_domain };
    },
    async insert(org: Org, at: Date): Promise<void> {
      await q.query(
        "insert into organizations (id, name, primary_domain, created_at, updated_at) values ($1, $2, $3, $4, $4)",
        [org.id, org.name, org.primaryDomain, at],
      );
    },
  };
}
