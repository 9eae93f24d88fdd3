/**
 * The events Usher publishes (webhooks, ZITADEL Actions targets, the event feed), named as
 * ZITADEL names them, each with the payload fields it may show. A stored event's payload passes
 * through `publicPayload`, which keeps only the listed fields: nothing else leaves Usher, so a
 * code, password, hash or token can never reach a subscriber even if a command stored one.
 */
export interface EventKind {
  readonly description: string;
  /** The payload fields published, as stored. */
  readonly fields: readonly string[];
}

const CODE_FIELDS = [
  "expiry",
  "urlTemplate",
  "url_template",
  "applicationName",
  "codeReturned",
  "code_returned",
];

export const EVENT_CATALOG: Readonly<Record<string, EventKind>> = {
  "user.human.added": {
    description: "A person was created.",
    fields: ["userName", "firstName", "lastName", "nickName", "displayName", "preferredLanguage", "email"],
  },
  "user.human.invite.code.added": {
    description: "An invite was sent or sent again (a new invite code replaces the old one).",
    fields: CODE_FIELDS,
  },
  "user.human.invite.code.sent": {
    description: "The invite mail was handed to the mail provider.",
    fields: ["outboxId"],
  },
  "user.human.invite.check.succeeded": { description: "The invite was accepted.", fields: [] },
  "user.human.invite.check.failed": { description: "A wrong invite code was presented.", fields: [] },
  "user.human.initialization.code.added": {
    description: "An initialization mail was sent or sent again.",
    fields: ["expiry"],
  },
  "user.human.initialization.code.sent": {
    description: "The initialization mail was handed to the mail provider.",
    fields: ["outboxId"],
  },
  "user.human.initialization.check.succeeded": {
    description: "The person completed the initialization.",
    fields: [],
  },
  "user.human.initialization.check.failed": {
    description: "A wrong initialization code was presented.",
    fields: [],
  },
  "user.human.email.code.added": { description: "An email verification code was sent.", fields: CODE_FIELDS },
  "user.human.email.code.sent": {
    description: "The verification mail was handed to the mail provider.",
    fields: ["outboxId"],
  },
  "user.human.email.verified": { description: "The email address was verified.", fields: [] },
  "user.human.email.verification.failed": {
    description: "A wrong email verification code was presented.",
    fields: [],
  },
  "user.human.email.changed": { description: "The email address changed.", fields: ["email"] },
  "user.human.password.changed": { description: "A password was set.", fields: ["changeRequired"] },
  "user.human.password.code.added": { description: "A password reset code was sent.", fields: CODE_FIELDS },
  "user.human.password.code.sent": {
    description: "The password reset mail was handed to the mail provider.",
    fields: ["outboxId"],
  },
  "user.human.message.failed": {
    description: "A mail could not be delivered; the provider's reason is in `reason`.",
    fields: ["outboxId", "messageType", "reason"],
  },
  "user.username.changed": { description: "The username changed.", fields: ["userName", "oldUserName"] },
  "user.locked": { description: "The user was locked.", fields: [] },
  "user.unlocked": { description: "The user was unlocked.", fields: [] },
  "user.deactivated": { description: "The user was deactivated.", fields: [] },
  "user.reactivated": { description: "The user was reactivated.", fields: [] },
  "user.removed": { description: "The user was deleted.", fields: [] },
};

export const EVENT_TYPES: readonly string[] = Object.keys(EVENT_CATALOG);

/** The aggregates events belong to (`events.aggregate_type`), with their names for people. */
export const AGGREGATE_TYPES: Readonly<Record<string, string>> = {
  instance: "Instance",
  org: "Organization",
  user: "User",
};

/** The fields of a stored payload that may be published (none for a type outside the catalog). */
export function publicPayload(type: string, stored: Record<string, unknown>): Record<string, unknown> {
  const kind = EVENT_CATALOG[type];
  const out: Record<string, unknown> = {};
  if (!kind) return out;
  for (const f of kind.fields) if (stored[f] !== undefined) out[f] = stored[f];
  return out;
}

/** One published event: the shape of the feed's items and of a webhook's `data`. */
export interface PublicEvent {
  type: string;
  org_id: string;
  user_id: string;
  sequence: number;
  created_at: string;
  actor: string;
  payload: Record<string, unknown>;
}

export interface StoredEvent {
  org_id: string;
  aggregate_id: string;
  sequence: number;
  type: string;
  payload: Record<string, unknown>;
  actor: string;
  created_at: Date;
}

export function publicEvent(e: StoredEvent): PublicEvent {
  return {
    type: e.type,
    org_id: e.org_id,
    user_id: e.aggregate_id,
    sequence: e.sequence,
    created_at: e.created_at.toISOString(),
    actor: e.actor,
    payload: publicPayload(e.type, e.payload),
  };
}
