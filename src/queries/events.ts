import type { Queryable } from "../db/types.ts";

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
 * Advances a user's sequence by the number of events and appends them, in one statement; the
 * row lock of the user (taken by the command) keeps sequences gapless. Returns the last one.
 */
export async function appendUserEvents(
  q: Queryable,
  e: { orgId: string; userId: string; actor: string; at: Date; emailVerified?: boolean | undefined },
  events: readonly NewEvent[],
): Promise<number | undefined> {
  const rows = await q.query<{ sequence: number }>(
    `with s as (
       update users set sequence = sequence + $3, updated_at = $4, email_verified = coalesce($5, email_verified)
        where org_id = $1 and id = $2 returning sequence)
     insert into events (org_id, aggregate_type, aggregate_id, sequence, type, payload, actor, created_at)
     select $1, 'user', $2, s.sequence - $3 + e.ord::int, e.type, e.payload::jsonb, $6, $4
       from s, unnest($7::text[], $8::text[]) with ordinality as e(type, payload, ord)
     returning sequence`,
    [
      e.orgId,
      e.userId,
      events.length,
      e.at,
      e.emailVerified ?? null,
      e.actor,
      events.map((ev) => ev.type),
      events.map((ev) => JSON.stringify(ev.payload ?? {})),
    ],
  );
  return rows.length === 0 ? undefined : Math.max(...rows.map((r) => r.sequence));
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
