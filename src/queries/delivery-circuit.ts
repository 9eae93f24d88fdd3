import type { Queryable } from "../db/types.ts";

/** One process's circuit for one provider, as operators see it. */
export interface CircuitRecord {
  provider: string;
  process: string;
  state: "closed" | "open";
  changedAt: Date;
  /** The last probe (while open) or state change. */
  checkedAt: Date;
  lastError: string | null;
  failures: number;
}

interface Row {
  provider: string;
  process: string;
  state: "closed" | "open";
  changed_at: Date;
  checked_at: Date;
  last_error: string | null;
  failures: number;
}

const toRecord = (r: Row): CircuitRecord => ({
  provider: r.provider,
  process: r.process,
  state: r.state,
  changedAt: r.changed_at,
  checkedAt: r.checked_at,
  lastError: r.last_error,
  failures: r.failures,
});

/** SQL over `delivery_circuit`: each process's view of its mail provider. */
export function deliveryCircuitQueries(q: Queryable) {
  return {
    /** Writes this process's state (on a change, and after every probe while open). */
    async save(r: CircuitRecord): Promise<void> {
      await q.query(
        `insert into delivery_circuit (provider, process, state, changed_at, checked_at, last_error, failures)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (provider, process) do update set state = excluded.state, changed_at = excluded.changed_at,
           checked_at = excluded.checked_at, last_error = excluded.last_error, failures = excluded.failures`,
        [r.provider, r.process, r.state, r.changedAt, r.checkedAt, r.lastError, r.failures],
      );
    },

    /** True when another process found the provider answering after `since` (its circuit closed). */
    async closedElsewhereSince(provider: string, process: string, since: Date): Promise<boolean> {
      const rows = await q.query(
        `select 1 from delivery_circuit
          where provider = $1 and process <> $2 and state = 'closed' and changed_at > $3 limit 1`,
        [provider, process, since],
      );
      return rows.length > 0;
    },

    /** Forgets this process (graceful stop). */
    async remove(provider: string, process: string): Promise<void> {
      await q.query("delete from delivery_circuit where provider = $1 and process = $2", [provider, process]);
    },

    /** Every process's circuit that is open, oldest outage first. */
    async open(): Promise<CircuitRecord[]> {
      const rows = await q.query<Row>(
        "select * from delivery_circuit where state = 'open' order by changed_at",
      );
      return rows.map(toRecord);
    },
  };
}
