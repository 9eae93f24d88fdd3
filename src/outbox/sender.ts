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

/** Delivers mail. Throws `SendError` with `permanent` when retrying cannot help. */
export interface Sender {
  readonly name: string;
  send(mail: OutgoingMail): Promise<SendReceipt>;
  close?(): Promise<void>;
}

export class SendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = "SendError";
  }
}
