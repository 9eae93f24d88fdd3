import { type TSchema, Type } from "@sinclair/typebox";
import { EVENT_TYPES } from "../../domain/event-catalog.ts";

/** The shapes of webhook subscriptions, deliveries and the event feed (see schemas.ts). */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Timestamp = Type.String({ format: "date-time" });
const Strict = { additionalProperties: false } as const;
const EventType = Type.Union(
  EVENT_TYPES.map((t) => Type.Literal(t)),
  { description: "An event type of the catalog (README, “Events”)" },
);
const Url = Type.String({ minLength: 1, maxLength: 2000, description: "http or https URL" });

export const CreateWebhook = Type.Object(
  {
    url: Url,
    event_types: Type.Array(EventType, { minItems: 1, maxItems: 100, uniqueItems: true }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 100, maximum: 30_000, default: 10_000 })),
  },
  { ...Strict, $id: "CreateWebhook" },
);

export const UpdateWebhook = Type.Object(
  {
    url: Type.Optional(Url),
    event_types: Type.Optional(Type.Array(EventType, { minItems: 1, maxItems: 100, uniqueItems: true })),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 100, maximum: 30_000 })),
    paused: Type.Optional(Type.Boolean({ description: "false resumes a paused subscription" })),
  },
  { ...Strict, $id: "UpdateWebhook" },
);

export const RotateSecret = Type.Object(
  {
    previous_valid_seconds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 7 * 86_400,
        default: 86_400,
        description: "How long the old secret keeps signing",
      }),
    ),
  },
  { ...Strict, $id: "RotateSecret" },
);

export const Webhook = Type.Object(
  {
    id: Type.String(),
    url: Type.String(),
    event_types: Type.Array(Type.String()),
    description: Type.String(),
    timeout_ms: Type.Integer(),
    status: Type.Union([Type.Literal("active"), Type.Literal("paused")]),
    paused_reason: Nullable(Type.String()),
    previous_secret_expires_at: Nullable(Timestamp),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: "Webhook" },
);

export const WebhookWithSecret = Type.Intersect(
  [Type.Ref("Webhook"), Type.Object({ secret: Type.String({ description: "whsec_…; shown once" }) })],
  { $id: "WebhookWithSecret" },
);

export const WebhookPage = Type.Object(
  { data: Type.Array(Type.Ref("Webhook")), next_cursor: Nullable(Type.String()), has_more: Type.Boolean() },
  { $id: "WebhookPage" },
);

export const WebhookTest = Type.Object(
  {
    delivered: Type.Boolean(),
    status: Nullable(Type.Integer()),
    duration_ms: Type.Integer(),
    error: Nullable(Type.String()),
  },
  { $id: "WebhookTest" },
);

export const Attempt = Type.Object(
  {
    attempt: Type.Integer(),
    at: Timestamp,
    status: Nullable(Type.Integer({ description: "HTTP status, null when there was no answer" })),
    duration_ms: Type.Integer(),
    error: Nullable(Type.String()),
  },
  { $id: "Attempt" },
);

export const Delivery = Type.Object(
  {
    id: Type.String({ description: "The webhook-id header of its calls" }),
    event_type: Type.String(),
    user_id: Type.String(),
    sequence: Type.Integer(),
    status: Type.Union(["queued", "sending", "delivered", "failed"].map((s) => Type.Literal(s))),
    attempts: Type.Array(Type.Ref("Attempt")),
    next_attempt_at: Nullable(Timestamp),
    created_at: Timestamp,
    delivered_at: Nullable(Timestamp),
  },
  { $id: "Delivery" },
);

export const DeliveryPage = Type.Object(
  { data: Type.Array(Type.Ref("Delivery")), next_cursor: Nullable(Type.String()), has_more: Type.Boolean() },
  { $id: "DeliveryPage" },
);

export const Event = Type.Object(
  {
    type: Type.String(),
    org_id: Type.String(),
    user_id: Type.String(),
    sequence: Type.Integer({ description: "The user's event sequence (ZITADEL's details.sequence)" }),
    created_at: Timestamp,
    actor: Type.String({ description: "Id of the user or service account that caused it" }),
    payload: Type.Record(Type.String(), Type.Unknown()),
  },
  { $id: "Event" },
);

export const EventFeed = Type.Object(
  {
    data: Type.Array(Type.Ref("Event")),
    next_cursor: Type.String({ description: "Pass as `after` to continue; never skips an event" }),
  },
  { $id: "EventFeed" },
);

export const EventsQuery = Type.Object(
  {
    after: Type.Optional(Type.String({ maxLength: 200 })),
    types: Type.Optional(Type.String({ maxLength: 4000, description: "Comma-separated event types" })),
    user_id: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    wait: Type.Optional(
      Type.String({
        pattern: "^([0-9]|[1-5][0-9]|60)s?$",
        description: "Long-poll up to this many seconds (max 60s)",
      }),
    ),
  },
  Strict,
);

export const EVENT_COMPONENTS: readonly TSchema[] = [
  CreateWebhook,
  UpdateWebhook,
  RotateSecret,
  Webhook,
  WebhookWithSecret,
  WebhookPage,
  WebhookTest,
  Attempt,
  Delivery,
  DeliveryPage,
  Event,
  EventFeed,
];
