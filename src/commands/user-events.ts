import type { Queryable } from "../db/types.ts";
import type { User } from "../domain/user.ts";
import { appendUserEvents, type NewEvent } from "../queries/events.ts";
import type { WriteDetails } from "./deps.ts";

/**
 * Appends events to a locked user's stream and advances its sequence in one step; every
 * write command ends here so `details.sequence` is the per-user sequence ZITADEL reports.
 * `last` makes the write the transaction's last statement (it commits with it): for commands
 * that return right after it.
 */
export async function writeUserEvents(
  tx: Queryable,
  user: User,
  actor: string,
  at: Date,
  events: readonly NewEvent[],
  options: { emailVerified?: boolean; last?: boolean } = {},
): Promise<WriteDetails> {
  if (events.length === 0) return { sequence: user.sequence, changeDate: at, resourceOwner: user.orgId };
  const e = { orgId: user.orgId, userId: user.id, actor, at, emailVerified: options.emailVerified };
  const sequence = await appendUserEvents(tx, e, events, { last: options.last === true });
  if (sequence === undefined) throw new Error(`user ${user.id} vanished during a command`);
  return { sequence, changeDate: at, resourceOwner: user.orgId };
}
