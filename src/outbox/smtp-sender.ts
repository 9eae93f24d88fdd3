import nodemailer from "nodemailer";
import { type OutgoingMail, SendError, type Sender } from "./sender.ts";

/** Sends through an SMTP server given as `smtp://user:pass@host:port` or `smtps://…`. */
export function smtpSender(url: string): Sender {
  const transport = nodemailer.createTransport(url);
  return {
    name: "smtp",
    async send(mail: OutgoingMail) {
      try {
        await transport.sendMail({
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          disableFileAccess: true,
          disableUrlAccess: true,
        });
      } catch (e) {
        const err = e as { responseCode?: number; message?: string; code?: string };
        // 5xx replies are final (bad address, refused); everything else may pass on retry.
        const permanent =
          typeof err.responseCode === "number" && err.responseCode >= 500 && err.responseCode < 600;
        throw new SendError(err.message ?? String(e), permanent);
      }
    },
    async close() {
      transport.close();
    },
  };
}
