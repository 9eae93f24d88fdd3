import type { CodeKind } from "../domain/code-kind.ts";

/** Message types, named as ZITADEL's custom-text keys. */
export type MessageType = "InviteUser" | "VerifyEmail" | "InitCode" | "PasswordReset";

export type DeliveryStatus = "queued" | "sending" | "sent" | "failed" | "superseded" | "cancelled";

/** What a command asks to deliver. The code travels only encrypted, in `secret`. */
export interface NewMessage {
  orgId: string;
  userId: string;
  type: MessageType;
  codeKind: CodeKind | null;
  recipient: string;
  /** Everything the template needs but the code: names, link template, language… */
  payload: MessagePayload;
  /** The code, sealed with the outbox key. */
  secret: string | null;
  expiresAt: Date;
}

export interface MessagePayload {
  userId: string;
  orgId: string;
  username: string;
  displayName: string;
  givenName: string;
  preferredLanguage: string;
  applicationName?: string;
  urlTemplate?: string;
  codeExpiresAt?: string;
}

/** A claimed message, as the worker sees it. */
export interface OutboxMessage extends NewMessage {
  id: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: Date;
}
