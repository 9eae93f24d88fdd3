import type { Queryable } from "../db/types.ts";

/** The instance as an aggregate: its id (the resource owner of its events) and event sequence. */
export interface InstanceAggregate {
  instanceId: string;
  defaultOrgId: string;
  sequence: number;
}

interface InstanceRow {
  instance_id: string;
  default_org_id: string;
  sequence: number;
}

const toInstance = (r: InstanceRow): InstanceAggregate => ({
  instanceId: r.instance_id,
  defaultOrgId: r.default_org_id,
  sequence: r.sequence,
});

/** SQL over the one-row `instance` table. */
export function instanceQueries(q: Queryable) {
  return {
    async get(): Promise<InstanceAggregate | undefined> {
      const rows = await q.query<InstanceRow>("select instance_id, default_org_id, sequence from instance");
      return rows[0] && toInstance(rows[0]);
    },

    /** The instance row, locked until the transaction ends: instance events are serialised on it. */
    async lock(): Promise<InstanceAggregate | undefined> {
      const rows = await q.query<InstanceRow>(
        "select instance_id, default_org_id, sequence from instance for update",
      );
      return rows[0] && toInstance(rows[0]);
    },

    /** Advances the instance's event sequence by `count`; returns the new last sequence. */
    async advance(count: number): Promise<number> {
      const rows = await q.query<{ sequence: number }>(
        "update instance set sequence = sequence + $1 returning sequence",
        [count],
      );
      const row = rows[0];
      if (!row) throw new Error("the instance is not bootstrapped");
      return row.sequence;
    },
  };
}
