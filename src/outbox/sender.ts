import type { MessageType } from "./message.ts";

/** A mail on its way out. */
export interface OutgoingMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per outbox message, so a retry after an unknown outcome is recognisably the same mail. */
  messageId: string;
  outboxId: string;
  orgId: string;
  /** What a webhook receiver needs to render the message itself. */
  args: {
    type: MessageType;
    language: string;
    userId: string;
    code: string;
    link: string;
    displayName: string;
    username: string;
    applicationName: string;
  };
}

/** What a provider reports for a message it accepted (e.g. the SMTP server's reply). */
export interface SendReceipt {
  response: string;
}

/**
 * Delivers mail. Throws `SendError`: `permanent` when retrying cannot help, `unavailable` when
 * the provider itself did not answer properly (refused or timed-out connections, SMTP 421,
 * webhook 5xx) — those count towards the worker's circuit, not against the message.
 */
export interface Sender {
  readonly name: string;
  send(mail: OutgoingMail): Promise<SendReceipt>;
  close?(): Promise<void>;
}

export class SendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly unavailable = false,
  ) {
    super(message);
    this.name = "SendError";
  }
}
