import SMTPConnection, {
  type SMTPConnectionAuth,
  type SMTPConnectionOptions,
  type SMTPConnectionSendInfo,
} from "nodemailer/lib/smtp-connection";

/** What the pool needs to open a connection: the server, its TLS mode, the login if any. */
export interface SmtpPoolOptions {
  connection: SMTPConnectionOptions;
  auth?: SMTPConnectionAuth | undefined;
  /** Connections open at once; a send waits for a free one beyond that. */
  maxConnections: number;
}

/** An SMTP reply or connection error as nodemailer reports it. */
export interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

/**
 * A small pool of nodemailer `SMTPConnection`s, each logged in once and reused for message after
 * message (envelope and DATA pipelined when the server offers PIPELINING). A connection the
 * server closed, or one whose send failed without a reply, is dropped and replaced on demand; one
 * that refused a message (a reply to MAIL, RCPT or DATA) is reset and kept. nodemailer's own pool
 * builds every message as a stream of MIME nodes; this one sends a finished buffer.
 */
export class SmtpPool {
  readonly #o: SmtpPoolOptions;
  readonly #idle: SMTPConnection[] = [];
  readonly #waiting: ((c: SMTPConnection | Error) => void)[] = [];
  /** Every connection open or opening; its size is what `maxConnections` bounds. */
  readonly #open = new Set<SMTPConnection>();
  #closed = false;

  constructor(options: SmtpPoolOptions) {
    this.#o = options;
  }

  /** Sends one message (`raw`, a whole RFC 5322 message) to `to`. Rejects with an `SmtpError`. */
  async send(from: string, to: string, raw: Buffer): Promise<SMTPConnectionSendInfo> {
    const c = await this.#acquire();
    try {
      const info = await new Promise<SMTPConnectionSendInfo>((resolve, reject) =>
        c.send({ from, to: [to] }, raw, (err, sent) => (err || !sent ? reject(err) : resolve(sent))),
      );
      this.#release(c);
      return info;
    } catch (e) {
      const err = e as SmtpError;
      if (err?.responseCode !== undefined && err.responseCode !== 421 && !c.destroyed) this.#reset(c);
      else this.#drop(c);
      throw e;
    }
  }

  /** Closes every connection; sends waiting for one fail. */
  close(): void {
    this.#closed = true;
    for (const c of this.#idle.splice(0)) c.quit();
    for (const w of this.#waiting.splice(0)) w(new Error("the SMTP pool was closed"));
  }

  #acquire(): Promise<SMTPConnection> {
    if (this.#closed) return Promise.reject(new Error("the SMTP pool was closed"));
    const idle = this.#idle.pop();
    if (idle) return Promise.resolve(idle);
    if (this.#open.size < this.#o.maxConnections) return this.#connect();
    return new Promise((resolve, reject) =>
      this.#waiting.push((c) => (c instanceof Error ? reject(c) : resolve(c))),
    );
  }

  /** Hands a free connection to the next waiting send, else keeps it for later. */
  #release(c: SMTPConnection): void {
    const next = c.destroyed || this.#closed ? undefined : this.#waiting.shift();
    if (c.destroyed) this.#drop(c);
    else if (this.#closed) c.quit();
    else if (next) next(c);
    else this.#idle.push(c);
  }

  /** After a refused message: RSET, then the connection serves the next one. */
  #reset(c: SMTPConnection): void {
    c.reset((err) => {
      if (err) {
        c.close();
        this.#drop(c);
      } else this.#release(c);
    });
  }

  /** Forgets a dead connection; a waiting send gets a new one. */
  #drop(c: SMTPConnection): void {
    const at = this.#idle.indexOf(c);
    if (at >= 0) this.#idle.splice(at, 1);
    if (!c.destroyed) c.close();
    if (!this.#open.delete(c)) return;
    const next = this.#waiting.shift();
    if (next)
      this.#connect().then(
        (fresh) => next(fresh),
        (e: Error) => next(e),
      );
  }

  #connect(): Promise<SMTPConnection> {
    const c = new SMTPConnection({ ...this.#o.connection, logger: false });
    this.#open.add(c);
    return new Promise<SMTPConnection>((resolve, reject) => {
      let settled = false;
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        this.#drop(c);
        reject(e);
      };
      // After the login, errors reach the send that was in flight; an idle connection the server
      // closed (or that timed out) just ends and is dropped.
      c.on("error", fail);
      c.once("end", () =>
        settled ? this.#drop(c) : fail(new Error("the SMTP server closed the connection")),
      );
      c.connect((err) => {
        if (err) return fail(err);
        if (!this.#o.auth || !c.allowsAuth) {
          settled = true;
          return resolve(c);
        }
        c.login(this.#o.auth, (e) => {
          if (e) return fail(e);
          settled = true;
          resolve(c);
        });
      });
    });
  }
}
