import type { JsonObject } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ListEventsRequest } from "@zitadel/proto/zitadel/admin_pb.js";
import { AGGREGATE_TYPES, EVENT_CATALOG, publicPayload } from "../../domain/event-catalog.ts";
import type { EventSearch, SearchedEvent } from "../../queries/events-search.ts";
import { MAX_LIST_LIMIT } from "../../queries/search.ts";

const dateOf = (t: Timestamp | undefined): Date | null => (t ? timestampDate(t) : null);

/**
 * ListEvents' filters as ZITADEL reads them: `range` (since/until) wins over `from`, which wins
 * over the deprecated `creation_date`; `from` is a lower bound when ascending and an upper bound
 * when descending; a limit of 0 or above 1,000 means 1,000.
 */
export function eventSearchOf(req: ListEventsRequest): EventSearch {
  const f = req.creationDateFilter;
  const from = f.case === "from" ? dateOf(f.value) : f.case === "range" ? null : dateOf(req.creationDate);
  const since = f.case === "range" ? dateOf(f.value.since) : null;
  const until = f.case === "range" ? dateOf(f.value.until) : null;
  return {
    sequenceAfter: req.sequence,
    limit: req.limit === 0 || req.limit > MAX_LIST_LIMIT ? MAX_LIST_LIMIT : req.limit,
    asc: req.asc,
    editorUserId: req.editorUserId,
    eventTypes: req.eventTypes,
    aggregateId: req.aggregateId,
    aggregateTypes: req.aggregateTypes,
    resourceOwner: req.resourceOwner,
    after: req.asc ? (from ?? since) : since,
    before: req.asc ? until : (from ?? until),
  };
}

/** `zitadel.event.v1.EventType`: the type with its description as the localized message. */
export function v1EventType(type: string) {
  return {
    type,
    localized: { key: `EventTypes.${type}`, localizedMessage: EVENT_CATALOG[type]?.description ?? type },
  };
}

/** `zitadel.event.v1.AggregateType`. */
export function v1AggregateType(type: string) {
  return {
    type,
    localized: { key: `AggregateTypes.${type}`, localizedMessage: AGGREGATE_TYPES[type] ?? type },
  };
}

/**
 * `zitadel.event.v1.Event`; the editor's service is "zitadel", as ZITADEL names it. The payload is the catalog's published fields only (`publicPayload`,
 * as for webhooks and the feed): a type outside the catalog shows an empty payload.
 */
export function v1Event(e: SearchedEvent) {
  return {
    editor: { userId: e.actor, displayName: e.editor_name, service: "zitadel" },
    aggregate: { id: e.aggregate_id, type: v1AggregateType(e.aggregate_type), resourceOwner: e.org_id },
    sequence: BigInt(e.sequence),
    creationDate: timestampFromDate(e.created_at),
    payload: publicPayload(e.type, e.payload) as JsonObject,
    type: v1EventType(e.type),
  };
}
