import type { Queryable } from "../db/types.ts";
import type { User } from "../domain/user.ts";
import { appendEvents, type NewEvent } from "../queries/events.ts";
import { userQueries } from "../queries/users.ts";
import type { WriteDetails } from "./deps.ts";

/**
 * Appends events to a locked user's stream and advances its sequence in one step; every
 * write command ends here so `details.sequence` is the per-user sequence ZITADEL reports.
 */
export async function writeUserEvents(
  tx: Queryable,
  user: User,
  actor: string,
  at: Date,
  events: readonly NewEvent[],
  changes: { emailVerified?: boolean } = {},
): Promise<WriteDetails> {
  const sequence = await userQueries(tx).advance(user, events.length, at, changes);
  await appendEvents(
    tx,
    { orgId: user.orgId, aggregateType: "user", aggregateId: user.id, lastSequence: sequence, actor, at },
    events,
  );
  return { sequence, changeDate: at, resourceOwner: user.orgId };
}
