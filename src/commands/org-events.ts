import type { Queryable } from "../db/types.ts";
import { appendEvents, type NewEvent } from "../queries/events.ts";
import { instanceQueries } from "../queries/instance.ts";
import { INSTANCE_SCOPE } from "../queries/members.ts";
import { orgQueries } from "../queries/orgs.ts";
import type { WriteDetails } from "./deps.ts";

/**
 * Appends events to a locked organization's stream and advances its sequence in one step, as
 * `writeUserEvents` does for users; `details.sequence` is the organization's sequence.
 */
export async function writeOrgEvents(
  tx: Queryable,
  orgId: string,
  actor: string,
  at: Date,
  events: readonly NewEvent[],
): Promise<WriteDetails> {
  const sequence = await orgQueries(tx).advance(orgId, events.length, at);
  await appendEvents(
    tx,
    { orgId, aggregateType: "org", aggregateId: orgId, lastSequence: sequence, actor, at },
    events,
  );
  return { sequence, changeDate: at, resourceOwner: orgId };
}

/**
 * Appends events to the locked instance's stream (organization `INSTANCE_SCOPE`); the resource
 * owner of instance events is the instance id, as in ZITADEL.
 */
export async function writeInstanceEvents(
  tx: Queryable,
  instanceId: string,
  actor: string,
  at: Date,
  events: readonly NewEvent[],
): Promise<WriteDetails> {
  const sequence = await instanceQueries(tx).advance(events.length);
  await appendEvents(
    tx,
    {
      orgId: INSTANCE_SCOPE,
      aggregateType: "instance",
      aggregateId: instanceId,
      lastSequence: sequence,
      actor,
      at,
    },
    events,
  );
  return { sequence, changeDate: at, resourceOwner: instanceId };
}
