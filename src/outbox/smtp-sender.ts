import { parseConnectionUrl } from "nodemailer/lib/shared";
import { composeMessage, type MailAddress, parseAddress } from "./mime.ts";
import { type OutgoingMail, SendError, type Sender, type SendReceipt } from "./sender.ts";
import { type SmtpError, SmtpPool } from "./smtp-pool.ts";

/**
 * Sends through an SMTP server given as `smtp://user:pass@host:port` (STARTTLS when the server
 * offers it) or `smtps://…` (TLS from the start). Each message is composed whole (`mime.ts`) and
 * sent over a pool of `maxConnections` connections.
 */
export function smtpSender(url: string, maxConnections = 16): Sender {
  const { auth, ...connection } = parseConnectionUrl(url) as ReturnType<typeof parseConnectionUrl> & {
    auth?: { user: string; pass: string };
  };
  const pool = new SmtpPool({
    connection: {
      ...connection,
      // Bounded, so a hung server fails the send (and opens the circuit) instead of holding it.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    },
    auth,
    maxConnections,
  });
  // The sender's address is the same for every message: parsed once.
  const senders = new Map<string, MailAddress>();
  return {
    name: "smtp",
    async send(mail: OutgoingMail): Promise<SendReceipt> {
      let from = senders.get(mail.from);
      let raw: Buffer;
      let to: MailAddress;
      try {
        if (!from) {
          from = parseAddress(mail.from);
          senders.set(mail.from, from);
        }
        to = parseAddress(mail.to);
        raw = composeMessage(mail, from, to, new Date());
      } catch (e) {
        // Nothing a retry could change.
        throw new SendError(e instanceof Error ? e.message : String(e), true);
      }
      try {
        const info = await pool.send(from.address, to.address, raw);
        if (info.rejected.length > 0) throw new SendError(`rejected: ${info.response}`, true);
        return { response: info.response };
      } catch (e) {
        if (e instanceof SendError) throw e;
        const err = e as SmtpError;
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
      pool.close();
    },
  };
}
