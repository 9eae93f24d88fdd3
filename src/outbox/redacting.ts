import { type OutgoingMail, SendError, type Sender, type SendReceipt } from "./sender.ts";

/** Put where a provider's reply repeated the message's code or link. */
export const REDACTED = "[redacted]";

/**
 * Keeps the message's code out of what a provider answers: a webhook receiver or SMTP server may
 * echo the message in its reply or error, and those texts are logged and stored as the outbox
 * row's `last_error`, where no code may be readable.
 */
export function redacting(sender: Sender): Sender {
  return {
    name: sender.name,
    async send(mail: OutgoingMail): Promise<SendReceipt> {
      try {
        const receipt = await sender.send(mail);
        return { response: redact(receipt.response, mail) };
      } catch (e) {
        if (e instanceof SendError) throw new SendError(redact(e.message, mail), e.permanent, e.unavailable);
        if (e instanceof Error) e.message = redact(e.message, mail);
        throw e;
      }
    },
    ...(sender.close ? { close: () => sender.close?.() ?? Promise.resolve() } : {}),
  };
}

/** `text` with every occurrence of the mail's link and code replaced. */
export function redact(text: string, mail: OutgoingMail): string {
  let out = text;
  for (const secret of [mail.args.link, mail.args.code]) {
    if (secret) out = out.split(secret).join(REDACTED);
  }
  return out;
}
