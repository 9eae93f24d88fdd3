import type { Logger } from "pino";
import type { Db } from "../db/types.ts";
import { open } from "../domain/secrets.ts";
import type { Metrics } from "../ops/metrics.ts";
import { messageTextQueries } from "../queries/message-texts.ts";
import { OUTBOX_CHANNEL, outboxQueries } from "../queries/outbox.ts";
import { backoffMs } from "./backoff.ts";
import type { OutboxMessage } from "./message.ts";
import { SendError, type Sender } from "./sender.ts";
import { linkFor, renderMail, type TextOverrides } from "./templates.ts";

export interface WorkerOptions {
  db: Db;
  sender: Sender;
  log: Logger;
  outboxKey: Buffer;
  from: string;
  externalUrl: string;
  defaultLanguage: string;
  metrics?: Metrics | undefined;
  maxAttempts: number;
  pollIntervalMs: number;
  leaseMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  batchSize?: number;
  now: () => Date;
}

/** The `*.code.sent` event per code kind, as ZITADEL names them. */
const SENT_EVENT: Readonly<Record<string, string>> = {
  invite: "user.human.invite.code.sent",
  email: "user.human.email.code.sent",
  init: "user.human.initialization.code.sent",
  password: "user.human.password.code.sent",
};

/**
 * Delivers queued messages. Claims small batches with SKIP LOCKED (so every process can run
 * one), wakes on NOTIFY and on a poll, retries transient failures with jittered backoff, fails
 * permanent ones at once, and records `*.code.sent` after a successful send.
 */
export class OutboxWorker {
  readonly #o: WorkerOptions & { batchSize: number };
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #again = false;
  #stopped = true;
  #inFlight = new Set<string>();
  #unlisten: (() => Promise<void>) | undefined;
  #idle: Promise<void> = Promise.resolve();
  #lastWipe = 0;

  constructor(options: WorkerOptions) {
    this.#o = { batchSize: 10, ...options };
  }

  async start(): Promise<void> {
    this.#stopped = false;
    this.#unlisten = await this.#o.db.listen(OUTBOX_CHANNEL, () => this.wake());
    this.#schedule();
    this.wake();
  }

  /** Runs a pass now (or right after the current one). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    this.#idle = this.#drain().finally(() => {
      this.#running = false;
    });
  }

  /** Resolves when no pass is running: tests wait on it. */
  async settled(): Promise<void> {
    while (this.#running) await this.#idle;
  }

  /** Stops taking work, lets in-flight sends finish, and releases anything still claimed. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#unlisten?.();
    await this.#idle;
    await outboxQueries(this.#o.db).release([...this.#inFlight], this.#o.now());
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.wake();
      if (!this.#stopped) this.#schedule();
    }, this.#o.pollIntervalMs);
    this.#timer.unref();
  }

  async #drain(): Promise<void> {
    do {
      this.#again = false;
      try {
        const now = this.#o.now();
        if (now.getTime() - this.#lastWipe > 60_000) {
          this.#lastWipe = now.getTime();
          await outboxQueries(this.#o.db).wipeExpired(now);
        }
        const batch = await outboxQueries(this.#o.db).claimDue(
          now,
          new Date(now.getTime() + this.#o.leaseMs),
          this.#o.batchSize,
        );
        for (const m of batch) this.#inFlight.add(m.id);
        const texts = new Map<string, Promise<Map<string, TextOverrides>>>();
        await Promise.all(batch.map((m) => this.#deliver(m, texts)));
        if (batch.length === this.#o.batchSize) this.#again = true;
      } catch (e) {
        this.#o.log.error({ err: e }, "outbox pass failed");
      }
    } while (this.#again && !this.#stopped);
  }

  /** Sends one claimed message; `texts` holds the organizations' texts read in this batch. */
  async #deliver(m: OutboxMessage, texts: Map<string, Promise<Map<string, TextOverrides>>>): Promise<void> {
    const { db, log } = this.#o;
    const q = outboxQueries(db);
    const now = this.#o.now();
    try {
      if (m.attempts > this.#o.maxAttempts) return await q.markFailed(m.id, now, "attempt limit reached");
      if (m.expiresAt.getTime() <= now.getTime())
        return await q.markFailed(m.id, now, "expired before it could be sent");
      const code = m.secret ? open(this.#o.outboxKey, m.secret) : "";
      const key = `${m.orgId}\u0000${m.type}`;
      let read = texts.get(key);
      if (!read) {
        read = messageTextQueries(db).forType(m.orgId, m.type);
        texts.set(key, read);
      }
      const overrides = await read;
      const input = { type: m.type, payload: m.payload, code, externalUrl: this.#o.externalUrl };
      const mail = renderMail({
        ...input,
        defaultLanguage: this.#o.defaultLanguage,
        overrides: (l) => overrides.get(l),
      });
      const started = performance.now();
      const receipt = await this.#o.sender.send({
        ...mail,
        to: m.recipient,
        from: this.#o.from,
        messageId: `<${m.id}@usher>`,
        outboxId: m.id,
        orgId: m.orgId,
        args: {
          type: m.type,
          language: mail.language,
          userId: m.userId,
          code,
          link: linkFor(input),
          displayName: m.payload.displayName,
          username: m.payload.username,
          applicationName: m.payload.applicationName ?? "",
        },
      });
      this.#o.metrics?.sendSeconds.observe(
        { provider: this.#o.sender.name },
        (performance.now() - started) / 1000,
      );
      await this.#recordSent(m);
      this.#o.metrics?.sends.inc({ provider: this.#o.sender.name, result: "sent" });
      log.info(
        { outboxId: m.id, type: m.type, userId: m.userId, attempts: m.attempts, reply: receipt.response },
        "message sent",
      );
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      const permanent = e instanceof SendError && e.permanent;
      const final = permanent || m.attempts >= this.#o.maxAttempts;
      this.#o.metrics?.sends.inc({ provider: this.#o.sender.name, result: final ? "failed" : "retry" });
      if (final) {
        await q.markFailed(m.id, now, error);
        log.warn({ outboxId: m.id, type: m.type, attempts: m.attempts, error }, "message failed");
      } else {
        const delay = backoffMs(m.attempts, this.#o.backoffBaseMs, this.#o.backoffMaxMs);
        await q.retryLater(m.id, now, new Date(now.getTime() + delay), error);
        log.info({ outboxId: m.id, attempts: m.attempts, error }, "message will be retried");
      }
    } finally {
      this.#inFlight.delete(m.id);
    }
  }

  /** Marks the message sent and appends `*.code.sent` to the user's stream, in one statement. */
  async #recordSent(m: OutboxMessage): Promise<void> {
    const type = m.codeKind ? SENT_EVENT[m.codeKind] : undefined;
    await outboxQueries(this.#o.db).recordSent(m.id, this.#o.now(), this.#o.sender.name, type);
  }
}
