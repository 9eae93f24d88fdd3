import type { MessageType, NewMessage } from "../outbox/message.ts";
import type { CodeKind, StoredCode } from "./code-kind.ts";
import { generateCode, hashCode } from "./codes.ts";
import { uuidv7 } from "./ids.ts";
import { type Keys, seal } from "./secrets.ts";
import type { User } from "./user.ts";

/** Settings that travel with a code and are inherited by the next one of its kind. */
export interface KeptCodeSettings {
  urlTemplate: string;
  applicationName: string;
  authRequestId: string;
  codeReturned: boolean;
}

export interface NewCodeInput {
  user: User;
  kind: CodeKind;
  message: MessageType;
  ttlMs: number;
  length: number;
  settings: KeptCodeSettings;
  at: Date;
  keys: Pick<Keys, "codeHmac" | "outbox">;
  /** How long a message may wait for delivery (`USHER_DELIVERY_TTL`), and the default application name. */
  deliveryTtlMs: number;
  applicationName: string;
}

/** A new code: the plain code, its stored form (a keyed hash), and unless returned the message that carries it, sealed. */
export interface NewCode {
  code: string;
  expiresAt: Date;
  stored: StoredCode;
  message?: { id: string; at: Date; body: NewMessage } | undefined;
}

/**
 * A new code of a kind for a user: only its HMAC is stored; a mailed code travels in its
 * message sealed with the outbox key, and the message expires with the code or the delivery
 * TTL, whichever is first. No I/O: the caller stores it (and throttles the send first).
 */
export function newCode(i: NewCodeInput): NewCode {
  const { user, at } = i;
  const code = generateCode(i.length);
  const expiresAt = new Date(at.getTime() + i.ttlMs);
  const stored: StoredCode = {
    kind: i.kind,
    codeHash: hashCode(i.keys.codeHmac, code),
    createdAt: at,
    expiresAt,
    failedAttempts: 0,
    email: user.email,
    ...i.settings,
  };
  if (i.settings.codeReturned) return { code, expiresAt, stored };
  const ttl = Math.min(expiresAt.getTime(), at.getTime() + i.deliveryTtlMs);
  const body: NewMessage = {
    orgId: user.orgId,
    userId: user.id,
    type: i.message,
    codeKind: i.kind,
    recipient: user.email,
    payload: {
      userId: user.id,
      orgId: user.orgId,
      username: user.username,
      displayName: user.displayName,
      givenName: user.givenName,
      preferredLanguage: user.preferredLanguage,
      applicationName: i.settings.applicationName || i.applicationName,
      urlTemplate: i.settings.urlTemplate,
      codeExpiresAt: expiresAt.toISOString(),
    },
    secret: seal(i.keys.outbox, code),
    expiresAt: new Date(ttl),
  };
  return { code, expiresAt, stored, message: { id: uuidv7(at.getTime()), at, body } };
}

/** The payload of `user.human.invite.code.added` (ZITADEL's: the expiry in nanoseconds). */
export function inviteCodeAddedPayload(ttlMs: number, s: KeptCodeSettings): Record<string, unknown> {
  return {
    expiry: ttlMs * 1_000_000,
    urlTemplate: s.urlTemplate,
    codeReturned: s.codeReturned,
    applicationName: s.applicationName,
    authRequestID: s.authRequestId,
  };
}
