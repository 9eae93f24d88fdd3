import type { Queryable } from "../db/types.ts";

export interface Org {
  id: string;
  name: string;
  primaryDomain: string;
}

/** An organization with its state and its event sequence, as reads and commands see it. */
export interface StoredOrg extends Org {
  /** 1 active, 2 inactive (ZITADEL's numbers). */
  state: number;
  sequence: number;
  createdAt: Date;
  updatedAt: Date;
}

interface OrgRow {
  id: string;
  name: string;
  primary_domain: string;
  state: number;
  sequence: number;
  created_at: Date;
  updated_at: Date;
}

/** A row of `organizations` as a `StoredOrg`. */
export const toStoredOrg = (r: OrgRow): StoredOrg => ({
  id: r.id,
  name: r.name,
  primaryDomain: r.primary_domain,
  state: r.state,
  sequence: r.sequence,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

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

    /** The organization with this id, whatever its state. */
    async byId(id: string): Promise<StoredOrg | undefined> {
      const rows = await q.query<OrgRow>("select * from organizations where id = $1", [id]);
      return rows[0] && toStoredOrg(rows[0]);
    },

    /** The organization, row-locked until the transaction ends: its events are serialised on it. */
    async lockById(id: string): Promise<StoredOrg | undefined> {
      const rows = await q.query<OrgRow>("select * from organizations where id = $1 for update", [id]);
      return rows[0] && toStoredOrg(rows[0]);
    },

    /** Whether another organization has this name (compared case-insensitively). */
    async nameTaken(name: string): Promise<boolean> {
      return (await q.query("select 1 from organizations where lower(name) = lower($1)", [name])).length > 0;
    },

    async domainTaken(domain: string): Promise<boolean> {
      const rows = await q.query("select 1 from organizations where lower(primary_domain) = lower($1)", [
        domain,
      ]);
      return rows.length > 0;
    },

    /** Advances the organization's event sequence by `count`; returns the new last sequence. */
    async advance(id: string, count: number, at: Date): Promise<number> {
      const rows = await q.query<{ sequence: number }>(
        "update organizations set sequence = sequence + $2, updated_at = $3 where id = $1 returning sequence",
        [id, count, at],
      );
      const row = rows[0];
      if (!row) throw new Error(`organization ${id} vanished during a command`);
      return row.sequence;
    },
  };
}
