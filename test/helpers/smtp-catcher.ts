import type { AddressInfo } from "node:net";
import PostalMime from "postal-mime";
import { SMTPServer } from "smtp-server";

/** A mail as the receiving SMTP server parsed it. */
export interface CaughtMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/**
 * A real SMTP server on loopback that keeps what it receives. `rejectWith` makes it refuse
 * messages with an SMTP reply code (e.g. 550) to test failure handling.
 */
export async function startSmtpCatcher(
  options: {
    port?: number;
    delayMs?: number;
    /** A delay per mail: `nth` counts the mails to the same first recipient before this one. */
    delayFor?: (to: string, nth: number) => number;
  } = {},
) {
  const mails: CaughtMail[] = [];
  const seen = new Map<string, number>();
  const waiters = new Set<() => void>();
  let reject: { code: number; message: string } | undefined;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      const to = session.envelope.rcptTo[0]?.address ?? "";
      const nth = seen.get(to) ?? 0;
      seen.set(to, nth + 1);
      const delay = (options.delayMs ?? 0) + (options.delayFor?.(to, nth) ?? 0);
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        if (reject) {
          const err = Object.assign(new Error(reject.message), { responseCode: reject.code });
          return callback(err);
        }
        const parsed = await PostalMime.parse(Buffer.concat(chunks));
        mails.push({
          to: (parsed.to ?? []).map((a) => ("address" in a ? (a.address ?? "") : "")),
          from: parsed.from && "address" in parsed.from ? (parsed.from.address ?? "") : "",
          subject: parsed.subject ?? "",
          text: parsed.text ?? "",
          html: parsed.html ?? "",
          messageId: parsed.messageId ?? "",
        });
        for (const w of waiters) w();
        callback();
      });
    },
  });
  await new Promise<void>((resolve, fail) => {
    server.on("error", fail);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    rejectWith(code: number | undefined, message = "rejected by test") {
      reject = code === undefined ? undefined : { code, message };
    },
    /** Resolves with the first mail (in arrival order) matching `predicate`, or fails after `ms`. */
    async waitFor(predicate: (m: CaughtMail) => boolean, ms = 10_000): Promise<CaughtMail> {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = mails.find(predicate);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching mail within ${ms} ms (received ${mails.length})`);
        await new Promise<void>((resolve) => {
          const done = () => {
            waiters.delete(done);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(done, left);
          waiters.add(done);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpCatcher = Awaited<ReturnType<typeof startSmtpCatcher>>;

/** The 6-character code in a mail's text. */
export function codeFrom(mail: CaughtMail): string {
  const m = /Your code: ([A-Z0-9]+)/.exec(mail.text);
  if (!m?.[1]) throw new Error(`no code in mail "${mail.subject}"`);
  return m[1];
}
