import { publicEvent, publicPayload, type StoredEvent } from "../domain/event-catalog.ts";

/**
 * The body of a Standard Webhooks call: `{ type, timestamp, data }`, where `data` is the event as
 * the feed shows it (`GET /v1/events`).
 */
export function standardBody(e: StoredEvent): string {
  return JSON.stringify({ type: e.type, timestamp: e.created_at.toISOString(), data: publicEvent(e) });
}

/**
 * The body ZITADEL posts to an Actions v2 target for an event execution (its `ContextInfoEvent`):
 * the aggregate, the event type and sequence, who caused it, and the event's payload as JSON —
 * Usher's published fields only.
 */
export function zitadelBody(e: StoredEvent & { aggregate_type: string }, instanceId: string): string {
  return JSON.stringify({
    aggregateID: e.aggregate_id,
    aggregateType: e.aggregate_type,
    resourceOwner: e.org_id,
    instanceID: instanceId,
    version: "v2",
    sequence: e.sequence,
    event_type: e.type,
    created_at: e.created_at.toISOString(),
    userID: e.actor,
    event_payload: publicPayload(e.type, e.payload),
  });
}

/** The body of `POST /v1/webhooks/{id}/test`: a made-up event that changes nothing. */
export function testBody(orgId: string, at: Date): string {
  return JSON.stringify({
    type: "usher.webhook.test",
    timestamp: at.toISOString(),
    data: { type: "usher.webhook.test", org_id: orgId, created_at: at.toISOString() },
  });
}
