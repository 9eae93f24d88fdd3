import nodemailer from "nodemailer";
import { type OutgoingMail, SendError, type Sender, type SendReceipt } from "./sender.ts";

/**
 * Sends through an SMTP server given as `smtp://user:pass@host:port` (STARTTLS when the server
 * offers it) or `smtps://…` (TLS from the start). Connections are pooled.
 */
export function smtpSender(url: string): Sender {
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 8,
    // Bounded, so a hung server fails the send (and opens the circuit) instead of holding it.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as never);
  return {
    name: "smtp",
    async send(mail: OutgoingMail): Promise<SendReceipt> {
      try {
        const info = await transport.sendMail({
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        if (info.rejected.length > 0) throw new SendError(`rejected: ${info.response}`, true);
        return { response: info.response };
      } catch (e) {
        if (e instanceof SendError) throw e;
        const err = e as { responseCode?: number; response?: string; message?: string };
        // 5xx replies are final (bad address, refused); everything else may pass on retry. No
        // reply at all (refused, timed out, dropped) or 421 "service not available" is the
        // server being down, not this message's fault.
        const code = err.responseCode;
        const permanent = typeof code === "number" && code >= 500 && code < 600;
        const unavailable = code === undefined || code === 421;
        throw new SendError(err.response ?? err.message ?? String(e), permanent, unavailable);
      }
    },
    async close() {
      transport.close();
    },
  };
}
