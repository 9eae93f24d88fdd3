import type { Queryable } from "../db/types.ts";
import type { User } from "../domain/user.ts";
import { appendUserEvents, type NewEvent } from "../queries/events.ts";
import type { WriteDetails } from "./deps.ts";

/**
 * Appends events to a locked user's stream and advances its sequence in one step; every
 * write command ends here so `details.sequence` is the per-user sequence ZITADEL reports. The
 * append is pipelined by the transaction (nobody reads its rows): the sequence is the locked
 * user's plus the number of events, so a command that writes twice passes the user with the
 * sequence the first write answered.
 */
export async function writeUserEvents(
  tx: Queryable,
  user: User,
  actor: string,
  at: Date,
  events: readonly NewEvent[],
  options: { emailVerified?: boolean } = {},
): Promise<WriteDetails> {
  if (events.length === 0) return { sequence: user.sequence, changeDate: at, resourceOwner: user.orgId };
  const e = { orgId: user.orgId, userId: user.id, actor, at, emailVerified: options.emailVerified };
  await appendUserEvents(tx, e, events);
  return { sequence: user.sequence + events.length, changeDate: at, resourceOwner: user.orgId };
}
