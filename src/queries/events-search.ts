import type { Queryable } from "../db/types.ts";
import type { StoredEvent } from "../domain/event-catalog.ts";
import { SqlParams } from "./sql-params.ts";

/**
 * A search of the instance's events (ZITADEL's admin ListEvents). Empty strings and lists
 * filter nothing; `after`/`before` are exclusive bounds on the creation date.
 */
export interface EventSearch {
  /** Only events with a (per-aggregate) sequence greater than this. */
  sequenceAfter: bigint;
  limit: number;
  asc: boolean;
  editorUserId: string;
  eventTypes: readonly string[];
  aggregateId: string;
  aggregateTypes: readonly string[];
  resourceOwner: string;
  after: Date | null;
  before: Date | null;
}

export interface SearchedEvent extends StoredEvent {
  aggregate_type: string;
  /** The editor's display name (a machine user's name); empty for a system actor or a deleted user. */
  editor_name: string;
}

/**
 * The events matching `s`, newest first (oldest first with `asc`), in the order they were
 * written (`position`). As the feed, it shows only events of transactions older than the
 * oldest one still running, so a page never misses an event that commits later below it.
 */
export async function searchEvents(q: Queryable, s: EventSearch): Promise<SearchedEvent[]> {
  const p = new SqlParams();
  const where = [
    "e.tx_id < pg_snapshot_xmin(pg_current_snapshot())",
    `e.sequence > ${p.add(s.sequenceAfter.toString(), "numeric")}`,
  ];
  if (s.resourceOwner) where.push(`e.org_id = ${p.add(s.resourceOwner, "text")}`);
  if (s.editorUserId) where.push(`e.actor = ${p.add(s.editorUserId, "text")}`);
  if (s.aggregateId) where.push(`e.aggregate_id = ${p.add(s.aggregateId, "text")}`);
  if (s.eventTypes.length > 0) where.push(`e.type = any(${p.add(s.eventTypes, "text[]")})`);
  if (s.aggregateTypes.length > 0) where.push(`e.aggregate_type = any(${p.add(s.aggregateTypes, "text[]")})`);
  if (s.after) where.push(`e.created_at > ${p.add(s.after, "timestamptz")}`);
  if (s.before) where.push(`e.created_at < ${p.add(s.before, "timestamptz")}`);
  const order = s.asc ? "asc" : "desc";
  return q.query<SearchedEvent>(
    `select e.org_id, e.aggregate_type, e.aggregate_id, e.sequence, e.type, e.payload, e.actor,
            e.created_at,
            coalesce(case u.type when 'machine' then u.machine_name else u.display_name end, '')
              as editor_name
       from events e
       left join users u on u.id = e.actor
      where ${where.join("\n        and ")}
      order by e.position ${order}
      limit ${p.add(s.limit, "int")}`,
    p.values,
  );
}

/**
 * Every event type stored, in order: a skip scan over `events_type_time` (one index probe per
 * type), so the cost follows the number of types, not of events.
 */
export async function storedEventTypes(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ type: string }>(
    `with recursive t(type) as (
       (select type from events order by type limit 1)
       union all
       select (select e.type from events e where e.type > t.type order by e.type limit 1)
         from t where t.type is not null)
     select type from t where type is not null`,
  );
  return rows.map((r) => r.type);
}
