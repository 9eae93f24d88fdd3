import type { Logger } from "pino";
import type { Db } from "../db/types.ts";
import { instanceQueries } from "../queries/instance.ts";
import { type ClaimedDelivery, webhookDeliveryQueries } from "../queries/webhook-deliveries.ts";
import { WEBHOOK_CHANNEL } from "../queries/webhooks.ts";
import { backoffMs } from "./backoff.ts";
import { EgressError } from "./egress.ts";
import { callSubscriber, signingSecrets } from "./webhook-call.ts";
import { standardBody, zitadelBody } from "./webhook-payloads.ts";

export interface WebhookWorkerOptions {
  db: Db;
  log: Logger;
  /** The key that opens subscribers' secrets. */
  secretKey: Buffer;
  allowPrivate: boolean;
  responseLimit: number;
  concurrency: number;
  pollIntervalMs: number;
  leaseMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  now: () => Date;
}

/** A 2xx answer waiting to be recorded; `done` releases the call's slot once it is. */
interface Recorded {
  id: string;
  claim: number;
  at: Date;
  statusCode: number;
  durationMs: number;
  error: null;
  done: () => void;
}

/**
 * Delivers events to webhook subscribers and ZITADEL Actions targets, beside the mail worker
 * and built the same way: claims with SKIP LOCKED (never a user's event while an earlier one to
 * the same subscriber is pending), keeps up to `concurrency` calls in flight, wakes on NOTIFY,
 * a poll and each finished call, renews the lease of what it is sending, and records every
 * attempt. A non-2xx answer or no answer is retried on the capped, jittered schedule until the
 * delivery's 24 h run out; then it fails and its subscriber is paused with the reason. An
 * address the egress rules refuse fails at once and pauses the subscriber.
 */
export class WebhookWorker {
  readonly #o: WebhookWorkerOptions;
  readonly #inFlight = new Map<string, number>();
  readonly #sends = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  #running = false;
  #again = false;
  #drained = false;
  #stopped = true;
  #idle: Promise<void> = Promise.resolve();
  #lastReclaim = 0;
  #lastExpiry = 0;
  #instanceId = "";
  /** 2xx answers waiting to be recorded together (one statement per batch, not per call). */
  #toRecord: Recorded[] = [];
  #flushTimer: NodeJS.Timeout | undefined;

  constructor(options: WebhookWorkerOptions) {
    this.#o = options;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    this.#instanceId = (await instanceQueries(this.#o.db).get())?.instanceId ?? "";
    this.#unlisten = await this.#o.db.listen(WEBHOOK_CHANNEL, () => this.wake());
    this.#schedule();
    this.#heartbeat = setInterval(() => void this.#renew(), Math.max(50, Math.floor(this.#o.leaseMs / 3)));
    this.#heartbeat.unref();
    this.wake();
  }

  wake(): void {
    this.#drained = false;
    this.#pump();
  }

  /** Resolves when no claim runs and nothing is being sent. */
  async settled(): Promise<void> {
    while (this.#running || this.#sends.size > 0) await Promise.all([this.#idle, ...this.#sends]);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.();
    await this.settled();
    clearInterval(this.#heartbeat);
    await webhookDeliveryQueries(this.#o.db).release([...this.#inFlight.keys()], this.#o.now());
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.wake();
      if (!this.#stopped) this.#schedule();
    }, this.#o.pollIntervalMs);
    this.#timer.unref();
  }

  #pump(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    this.#idle = this.#claimLoop().finally(() => {
      this.#running = false;
    });
  }

  async #claimLoop(): Promise<void> {
    do {
      this.#again = false;
      try {
        const now = this.#o.now();
        await this.#housekeeping(now);
        await this.#fill(now);
      } catch (e) {
        this.#o.log.error({ err: e }, "webhook pass failed");
      }
    } while (this.#again && !this.#stopped);
  }

  async #fill(now: Date): Promise<void> {
    const room = this.#o.concurrency - this.#inFlight.size;
    if (this.#drained || room < Math.max(1, Math.floor(this.#o.concurrency / 4))) return;
    const batch = await webhookDeliveryQueries(this.#o.db).claimDue(
      now,
      new Date(now.getTime() + this.#o.leaseMs),
      room,
    );
    if (batch.length < room) this.#drained = true;
    else this.#again = true;
    for (const d of batch) {
      this.#inFlight.set(d.id, d.attempts);
      const send = this.#deliver(d).finally(() => {
        this.#inFlight.delete(d.id);
        this.#sends.delete(send);
        if (!this.#drained) this.#pump();
      });
      this.#sends.add(send);
    }
  }

  /** Calls the subscriber once and records the attempt. */
  async #deliver(d: ClaimedDelivery): Promise<void> {
    const { log } = this.#o;
    const q = webhookDeliveryQueries(this.#o.db);
    const at = this.#o.now();
    const started = performance.now();
    const w = d.webhook;
    try {
      const body = w.kind === "standard" ? standardBody(d.event) : zitadelBody(d.event, this.#instanceId);
      const answer = await callSubscriber(w, signingSecrets(this.#o.secretKey, w, at), d.id, body, at, {
        allowPrivate: this.#o.allowPrivate,
        responseLimit: this.#o.responseLimit,
      });
      const outcome = {
        at: this.#o.now(),
        statusCode: answer.status,
        durationMs: answer.durationMs,
        error: null,
      };
      if (answer.status >= 200 && answer.status < 300) {
        await new Promise<void>((done) => this.#record({ ...outcome, id: d.id, claim: d.attempts, done }));
        return;
      }
      const reason =
        answer.status >= 300 && answer.status < 400
          ? `answered ${answer.status}; redirects are not followed`
          : `answered ${answer.status} ${answer.body.slice(0, 200)}`.trim();
      await this.#retry(d, { ...outcome, error: reason });
    } catch (e) {
      const outcome = {
        at: this.#o.now(),
        statusCode: null,
        durationMs: Math.round(performance.now() - started),
        error: e instanceof Error ? e.message : String(e),
      };
      if (e instanceof EgressError && e.kind === "refused") {
        await q.recordFailed(d.id, d.attempts, outcome, null, `address refused: ${outcome.error}`);
        log.warn({ webhookId: w.id, error: outcome.error }, "webhook paused: its address is refused");
        return;
      }
      await this.#retry(d, outcome);
    }
  }

  /** Queues a 2xx for the next batch: at once when the batch is full, else within 2 ms. */
  #record(item: Recorded): void {
    this.#toRecord.push(item);
    if (this.#toRecord.length >= 32) void this.#flush();
    else this.#flushTimer ??= setTimeout(() => void this.#flush(), 2);
  }

  async #flush(): Promise<void> {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const batch = this.#toRecord;
    this.#toRecord = [];
    if (batch.length === 0) return;
    try {
      const ours = await webhookDeliveryQueries(this.#o.db).recordDelivered(batch);
      for (const b of batch)
        if (!ours.has(b.id))
          this.#o.log.warn(
            { deliveryId: b.id },
            "webhook delivered, but another process had taken it over meanwhile",
          );
    } catch (e) {
      // Not recorded: the lease runs out and the delivery is sent again (at least once).
      this.#o.log.error({ err: e }, "could not record webhook deliveries");
    } finally {
      for (const b of batch) b.done();
      // A recorded delivery may unblock the next event of its user: look again even if the
      // last claim found the queue empty of claimable work.
      this.#drained = false;
      this.#pump();
    }
  }

  async #retry(
    d: ClaimedDelivery,
    outcome: { at: Date; statusCode: number | null; durationMs: number; error: string },
  ) {
    const delay = backoffMs(d.attempts, this.#o.backoffBaseMs, this.#o.backoffMaxMs);
    const next = outcome.at.getTime() + delay;
    const q = webhookDeliveryQueries(this.#o.db);
    if (next >= d.expiresAt.getTime()) {
      const reason = `paused after failing for 24 h: ${outcome.error}`.slice(0, 500);
      await q.recordFailed(d.id, d.attempts, outcome, null, reason);
      this.#o.log.warn(
        { webhookId: d.webhook.id, error: outcome.error },
        "webhook paused: deliveries keep failing",
      );
      return;
    }
    await q.recordFailed(d.id, d.attempts, outcome, new Date(next), null);
    this.#o.log.debug(
      { deliveryId: d.id, attempts: d.attempts, error: outcome.error },
      "webhook will be retried",
    );
  }

  async #housekeeping(now: Date): Promise<void> {
    const q = webhookDeliveryQueries(this.#o.db);
    if (now.getTime() - this.#lastReclaim >= this.#o.pollIntervalMs) {
      this.#lastReclaim = now.getTime();
      const reclaimed = await q.reclaimExpired(now);
      if (reclaimed > 0)
        this.#o.log.warn({ deliveries: reclaimed }, "webhook claims whose lease ran out are queued again");
    }
    if (now.getTime() - this.#lastExpiry < 60_000) return;
    this.#lastExpiry = now.getTime();
    // Delivery records are kept 30 days, long enough to look into an incident and redeliver.
    await q.pruneFinished(new Date(now.getTime() - 30 * 86_400_000));
    const expired = await q.failExpired(now);
    if (expired > 0)
      this.#o.log.warn({ deliveries: expired }, "webhook deliveries failed: their 24 h ran out");
  }

  async #renew(): Promise<void> {
    if (this.#inFlight.size === 0) return;
    const until = new Date(this.#o.now().getTime() + this.#o.leaseMs);
    await webhookDeliveryQueries(this.#o.db)
      .renew([...this.#inFlight.keys()], until)
      .catch((e) => this.#o.log.warn({ err: e }, "could not renew webhook leases"));
  }
}
