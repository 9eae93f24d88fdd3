import type { Queryable } from "../db/types.ts";
import { write } from "../db/write.ts";
import { SqlParams } from "./sql-params.ts";

/** One event to append; its sequence is given by the writer, which holds the aggregate's lock. */
export interface NewEvent {
  type: string;
  payload?: Record<string, unknown>;
}

/** Appends events of one aggregate with consecutive sequences ending at `lastSequence`. */
export async function appendEvents(
  q: Queryable,
  e: {
    orgId: string;
    aggregateType: string;
    aggregateId: string;
    lastSequence: number;
    actor: string;
    at: Date;
  },
  events: readonly NewEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const first = e.lastSequence - events.length + 1;
  const values: unknown[] = [];
  const rows = events.map((ev, i) => {
    const p = values.length;
    values.push(
      e.orgId,
      e.aggregateType,
      e.aggregateId,
      first + i,
      ev.type,
      JSON.stringify(ev.payload ?? {}),
      e.actor,
      e.at,
    );
    return `($${p + 1},$${p + 2},$${p + 3},$${p + 4},$${p + 5},$${p + 6}::jsonb,$${p + 7},$${p + 8})`;
  });
  await q.query(
    `insert into events (org_id, aggregate_type, aggregate_id, sequence, type, payload, actor, created_at) values ${rows.join(",")}`,
    values,
  );
}

/**
 * Advances a user's sequence by the number of events and appends them, in one statement whose
 * rows nobody reads (a transaction pipelines it, `write`); the row lock of the user (taken by
 * the command) keeps sequences gapless, so the caller knows the last sequence: the user's
 * sequence as locked plus the number of events.
 */
export async function appendUserEvents(
  q: Queryable,
  e: { orgId: string; userId: string; actor: string; at: Date; emailVerified?: boolean | undefined },
  events: readonly NewEvent[],
): Promise<void> {
  if (events.length === 0) throw new Error("appendUserEvents needs at least one event");
  const p = new SqlParams();
  const org = p.add(e.orgId, "text");
  const id = p.add(e.userId, "text");
  const count = p.add(events.length, "int");
  const at = p.add(e.at, "timestamptz");
  const types = p.add(
    events.map((ev) => ev.type),
    "text[]",
  );
  const payloads = p.add(
    events.map((ev) => JSON.stringify(ev.payload ?? {})),
    "text[]",
  );
  await write(
    q,
    `with s as (
       update users set sequence = sequence + ${count}, updated_at = ${at},
         email_verified = coalesce(${p.add(e.emailVerified ?? null, "bool")}, email_verified)
        where org_id = ${org} and id = ${id} returning sequence)
     insert into events (org_id, aggregate_type, aggregate_id, sequence, type, payload, actor, created_at)
     select ${org}, 'user', ${id}, s.sequence - ${count} + e.ord::int, e.type, e.payload::jsonb,
       ${p.add(e.actor, "text")}, ${at}
       from s, unnest(${types}, ${payloads}) with ordinality as e(type, payload, ord)`,
    p.values,
  );
}

export interface EventRow {
  sequence: number;
  type: string;
  payload: Record<string, unknown>;
  actor: string;
  created_at: Date;
}

/** The events of one aggregate in order (audit trail, tests). */
export async function eventsOf(q: Queryable, aggregateId: string): Promise<EventRow[]> {
  return q.query<EventRow>(
    "select sequence, type, payload, actor, created_at from events where aggregate_id = $1 order by sequence",
    [aggregateId],
  );
}
