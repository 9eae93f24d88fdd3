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
}

/** Delivers mail. Throws `SendError` with `permanent` when retrying cannot help. */
export interface Sender {
  readonly name: string;
  send(mail: OutgoingMail): Promise<void>;
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
