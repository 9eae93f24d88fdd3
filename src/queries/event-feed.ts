import type { Queryable } from "../db/types.ts";
import type { StoredEvent } from "../domain/event-catalog.ts";

/**
 * A position in the event feed: the writing transaction's id (xid8) and the event's position
 * within the writers' sequence. Events are handed out in (tx, position) order.
 */
export interface FeedPosition {
  tx: string;
  position: string;
}

export const FEED_START: FeedPosition = { tx: "0", position: "0" };

export interface FeedFilter {
  /** One organization, or every organization (instance-wide readers). */
  orgId: string | null;
  types: readonly string[];
  userId: string | null;
  limit: number;
}

export interface FeedRow extends StoredEvent {
  tx: string;
  position: string;
}

/**
 * The events after `after`, oldest first — only those written by transactions older than the
 * oldest transaction still running (`pg_snapshot_xmin`). A transaction still running, or one
 * not yet started, has an id at least that large, so every event it commits later sorts after
 * whatever this page hands out: a cursor never skips an event, however commits interleave.
 */
export async function readFeed(q: Queryable, after: FeedPosition, f: FeedFilter): Promise<FeedRow[]> {
  return q.query<FeedRow>(
    `select org_id, aggregate_id, sequence, type, payload, actor, created_at, tx_id::text as tx,
            position::text as position
       from events
      where ($1::text is null or org_id = $1)
        and (tx_id, position) > ($2::text::xid8, $3::bigint)
        and tx_id < pg_snapshot_xmin(pg_current_snapshot())
        and type = any($4)
        and ($5::text is null or aggregate_id = $5)
      order by tx_id, position
      limit $6`,
    [f.orgId, after.tx, after.position, f.types, f.userId, f.limit],
  );
}
