import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { EVENT_COMPONENTS } from "./schemas-events.ts";
import { InviteJob, InviteJobPage, InviteJobRow, InviteJobRowPage } from "./schemas-invite-jobs.ts";

/**
 * The tenant API's request and response shapes, defined once: they validate requests, type the
 * handlers and make up the OpenAPI document (`/v1/openapi.json`).
 */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Timestamp = Type.String({ format: "date-time" });
const Strict = { additionalProperties: false } as const;

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: "Stable machine-readable code, e.g. not_found" }),
    message: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
    notices: Type.Array(Type.String(), { description: "Notices of the policies that denied the call" }),
  },
  { $id: "Error" },
);

export const Delivery = Type.Union(
  ["queued", "sending", "sent", "failed", "superseded", "cancelled"].map((s) => Type.Literal(s)),
);

export const Invite = Type.Object(
  {
    expires_at: Nullable(Timestamp),
    last_sent_at: Nullable(Timestamp),
    send_count: Type.Integer({ minimum: 0 }),
    delivery: Nullable(Delivery),
    last_error: Nullable(Type.String()),
  },
  { $id: "Invite" },
);

export const User = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    name: Type.String(),
    locale: Type.String(),
    email_verified: Type.Boolean(),
    active: Type.Boolean(),
    status: Type.Union([
      Type.Literal("invited"),
      Type.Literal("active"),
      Type.Literal("disabled"),
      Type.Literal("locked"),
    ]),
    invite: Nullable(Invite),
    waiting_for: Nullable(
      Type.Union(
        [Type.Literal("invite"), Type.Literal("initialization"), Type.Literal("email_verification")],
        {
          description:
            "What the person has yet to do: accept the invite, initialize the account, verify the email",
        },
      ),
    ),
    waiting_since: Nullable(
      Type.String({
        format: "date-time",
        description: "Since when: the last invite mail, else the account's creation",
      }),
    ),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: "User" },
);

const Email = Type.String({ minLength: 3, maxLength: 200, format: "email" });
const Locale = Type.String({ minLength: 2, maxLength: 10, pattern: "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$" });
const UrlTemplate = Type.String({ minLength: 1, maxLength: 200 });

export const CreateUser = Type.Object(
  {
    email: Email,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    locale: Type.Optional(Locale),
    send_invite: Type.Optional(Type.Boolean({ default: true })),
    invite_url_template: Type.Optional(UrlTemplate),
    application_name: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "The application the invite names" }),
    ),
  },
  { ...Strict, $id: "CreateUser" },
);

export const PatchUser = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    locale: Type.Optional(Locale),
    active: Type.Optional(Type.Boolean()),
  },
  { ...Strict, $id: "PatchUser" },
);

export const ResendInvite = Type.Object({ email: Type.Optional(Email) }, { ...Strict, $id: "ResendInvite" });

export const ResendInviteResult = Type.Object(
  { message: Type.String(), invite: Invite },
  { $id: "ResendInviteResult" },
);

export const Message = Type.Object(
  {
    id: Type.String(),
    type: Type.String(),
    recipient: Type.String(),
    status: Delivery,
    attempts: Type.Integer({ minimum: 0 }),
    last_error: Nullable(Type.String()),
    created_at: Timestamp,
    updated_at: Timestamp,
    sent_at: Nullable(Timestamp),
  },
  { $id: "Message" },
);

export const page = <T extends TSchema>(item: T, id: string) =>
  Type.Object(
    { data: Type.Array(item), next_cursor: Nullable(Type.String()), has_more: Type.Boolean() },
    { $id: id },
  );
export const UserPage = page(Type.Ref("User"), "UserPage");
export const MessagePage = page(Type.Ref("Message"), "MessagePage");

export const ListUsersQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 250, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    email: Type.Optional(Type.String({ maxLength: 200 })),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: "The start of the name, family name, email address or username (any case)",
      }),
    ),
    status: Type.Optional(
      Type.Union(
        [
          Type.Literal("invited"),
          Type.Literal("active"),
          Type.Literal("disabled"),
          Type.Literal("locked"),
          Type.Literal("initial"),
          Type.Literal("unverified"),
        ],
        {
          description:
            "invited, active, disabled, locked as in `status`; initial: waiting for initialization; unverified: active with a password, email not verified",
        },
      ),
    ),
  },
  Strict,
);
export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 250, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  Strict,
);

export const Role = Type.Union([Type.Literal("admin"), Type.Literal("user_manager"), Type.Literal("viewer")]);
export const CreateApiKey = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    roles: Type.Array(Role, { minItems: 1, uniqueItems: true }),
    expires_at: Type.Optional(Timestamp),
  },
  { ...Strict, $id: "CreateApiKey" },
);
export const ApiKey = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    roles: Type.Array(Role),
    created_at: Timestamp,
    last_used_at: Nullable(Timestamp),
    expires_at: Nullable(Timestamp),
    revoked_at: Nullable(Timestamp),
  },
  { $id: "ApiKey" },
);
export const CreatedApiKey = Type.Intersect([Type.Ref("ApiKey"), Type.Object({ raw_key: Type.String() })], {
  $id: "CreatedApiKey",
});
export const ApiKeyPage = page(Type.Ref("ApiKey"), "ApiKeyPage");

export const AuthzCheck = Type.Object(
  {
    action: Type.String({ minLength: 1, maxLength: 100 }),
    resource: Type.Object(
      {
        type: Type.Union([Type.Literal("user"), Type.Literal("org")]),
        id: Type.String({ minLength: 1, maxLength: 200 }),
      },
      Strict,
    ),
  },
  { ...Strict, $id: "AuthzCheck" },
);
export const AuthzDecision = Type.Object(
  {
    decision: Type.Union([Type.Literal("allow"), Type.Literal("deny")]),
    policies: Type.Array(Type.String()),
    notices: Type.Array(Type.String()),
  },
  { $id: "AuthzDecision" },
);

export const VerifyEmail = Type.Object(
  {
    user_id: Type.String({ minLength: 1, maxLength: 200 }),
    code: Type.String({ minLength: 1, maxLength: 20 }),
  },
  { ...Strict, $id: "VerifyEmail" },
);
export const SetInitialPassword = Type.Object(
  {
    user_id: Type.String({ minLength: 1, maxLength: 200 }),
    code: Type.String({ minLength: 1, maxLength: 20 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { ...Strict, $id: "SetInitialPassword" },
);
const TextField = Type.String({ minLength: 1, maxLength: 2000 });
export const MessageTexts = Type.Object(
  {
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    greeting: Type.Optional(TextField),
    body: Type.Optional(TextField),
    button_text: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  {
    ...Strict,
    $id: "MessageTexts",
    description: "Texts may use {{.ApplicationName}}, {{.DisplayName}}, {{.GivenName}}, {{.Username}}",
  },
);
export const PreviewRequest = Type.Object(
  {
    display_name: Type.Optional(Type.String({ maxLength: 200 })),
    application_name: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { ...Strict, $id: "PreviewRequest" },
);
export const Preview = Type.Object(
  { subject: Type.String(), text: Type.String(), html: Type.String(), language: Type.String() },
  { $id: "Preview" },
);
export const MessageResult = Type.Object({ message: Type.String() }, { $id: "MessageResult" });
export const Health = Type.Object({ status: Type.Literal("ok") }, { $id: "Health" });

/** Schemas published under `components.schemas` (referenced by `$ref`). */
export const COMPONENTS: readonly TSchema[] = [
  ErrorBody,
  Invite,
  User,
  UserPage,
  Message,
  MessagePage,
  ApiKey,
  CreatedApiKey,
  ApiKeyPage,
  CreateUser,
  PatchUser,
  ResendInvite,
  ResendInviteResult,
  CreateApiKey,
  AuthzCheck,
  AuthzDecision,
  VerifyEmail,
  SetInitialPassword,
  MessageResult,
  MessageTexts,
  PreviewRequest,
  Preview,
  Health,
  ...EVENT_COMPONENTS,
  InviteJob,
  InviteJobPage,
  InviteJobRow,
  InviteJobRowPage,
];

export type UserBody = Static<typeof User>;
export type InviteBody = Static<typeof Invite>;
export type ApiKeyBody = Static<typeof ApiKey>;
export type MessageBody = Static<typeof Message>;
