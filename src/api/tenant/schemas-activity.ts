import { Type } from "@sinclair/typebox";
import { Delivery, page } from "./schemas.ts";

/**
 * Shapes of the endpoints that show what happened: a user's events and the tenant's deliveries
 * (the console's timeline and deliveries page use them; any API client may).
 */
const Timestamp = Type.String({ format: "date-time" });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const UserEvent = Type.Object(
  {
    sequence: Type.Integer({ minimum: 1 }),
    type: Type.String({ description: "ZITADEL's event type, e.g. user.human.invite.code.added" }),
    created_at: Timestamp,
  },
  { $id: "UserEvent" },
);
export const UserEventPage = page(Type.Ref("UserEvent"), "UserEventPage");

export const DeliveryMessage = Type.Object(
  {
    id: Type.String(),
    user_id: Type.String(),
    type: Type.String(),
    recipient: Type.String(),
    status: Delivery,
    attempts: Type.Integer({ minimum: 0 }),
    last_error: Nullable(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: "DeliveryMessage" },
);
export const DeliveryPage = Type.Object(
  {
    counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), {
      description: "Messages of the tenant by delivery status",
    }),
    data: Type.Array(Type.Ref("DeliveryMessage")),
    next_cursor: Type.Union([Type.String(), Type.Null()]),
    has_more: Type.Boolean(),
  },
  { $id: "DeliveryPage" },
);
export const RetryResult = Type.Object(
  { message: Type.String(), status: Type.Literal("queued") },
  { $id: "RetryResult" },
);

export const DeliveriesQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 250, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(Delivery),
  },
  { additionalProperties: false },
);

export const ACTIVITY_COMPONENTS = [UserEvent, UserEventPage, DeliveryMessage, DeliveryPage, RetryResult];
