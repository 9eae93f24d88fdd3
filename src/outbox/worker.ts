import os from "node:os";
import type { Logger } from "pino";
import { uuidv7 } from "../domain/ids.ts";
import type { Metrics } from "../ops/metrics.ts";
import { deliveryCircuitQueries } from "../queries/delivery-circuit.ts";
import { type ClaimedMessage, OUTBOX_CHANNEL, outboxQueries, type SentRecord } from "../queries/outbox.ts";
import { backoffMs } from "./backoff.ts";
import { Circuit, type CircuitChange, type CircuitOptions } from "./circuit.ts";
import { type ComposeOptions, composeMail } from "./compose.ts";
import type { OutboxMessage } from "./message.ts";
import { SendError, type Sender } from "./sender.ts";

export interface WorkerOptions extends ComposeOptions {
  sender: Sender;
  log: Logger;
  metrics?: Metrics | undefined;
  /** Attempts before a message fails; 0: no limit, the message's TTL decides. */
  maxAttempts: number;
  pollIntervalMs: number;
  /** How long a claim is reserved; renewed every third of it while the message is being sent. */
  leaseMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Sends in flight at once (per process). */
  concurrency?: number;
  circuit: CircuitOptions;
  now: () => Date;
}

/** The `*.code.sent` event per code kind, as ZITADEL names them. */
const SENT_EVENT: Readonly<Record<string, string>> = {
  invite: "user.human.invite.code.sent",
  email: "user.human.email.code.sent",
  init: "user.human.initialization.code.sent",
  password: "user.human.password.code.sent",
};

/** A sent message waiting to be recorded; `done` tells its send whether it was still ours. */
interface Recorded extends SentRecord {
  done: (ours: boolean) => void;
}

/**
 * Delivers queued messages. Keeps up to `concurrency` sends in flight, claiming more (SKIP
 * LOCKED, so every process can run one; never a user's message while an older one of its type
 * is pending) as sends finish; wakes on NOTIFY, on a poll and on each finished send. Retries
 * transient failures on a capped exponential schedule until the message's TTL, fails permanent
 * ones at once, records `*.code.sent` after a successful send, and renews the lease of what it
 * is sending. When the provider is down it stops as a whole (the circuit) and probes.
 */
export class OutboxWorker {
  readonly #o: WorkerOptions & { concurrency: number };
  readonly #circuit: Circuit;
  readonly #process = `${os.hostname()}:${process.pid}:${uuidv7().slice(-6)}`;
  #timer: NodeJS.Timeout | undefined;
  #probeTimer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #running = false;
  #again = false;
  /** The last claim found less than it asked for: finished sends need not claim again. */
  #drained = false;
  #stopped = true;
  /** Claimed messages being sent: id → the attempt number of our claim. */
  readonly #inFlight = new Map<string, number>();
  readonly #sends = new Set<Promise<void>>();
  #unlisten: (() => Promise<void>) | undefined;
  #idle: Promise<void> = Promise.resolve();
  #lastWipe = 0;
  #lastReclaim = 0;
  #lastLook = 0;
  /** Sent messages waiting for the next record statement (one for all of them). */
  #toRecord: Recorded[] = [];
  #recording = false;

  constructor(options: WorkerOptions) {
    this.#o = { concurrency: 32, ...options };
    this.#circuit = new Circuit(options.circuit);
  }

  async start(): Promise<void> {
    this.#stopped = false;
    this.#unlisten = await this.#o.db.listen(OUTBOX_CHANNEL, () => this.wake());
    this.#schedule();
    const beat = Math.max(50, Math.floor(this.#o.leaseMs / 3));
    this.#heartbeat = setInterval(() => void this.#renew(), beat);
    this.#heartbeat.unref();
    this.#o.metrics?.circuitOpen.set({ provider: this.#o.sender.name }, 0);
    this.wake();
  }

  /** Claims now (or right after the current claim). */
  wake(): void {
    this.#drained = false;
    this.#pump();
  }

  /** Resolves when no claim is running and nothing is being sent: tests wait on it. */
  async settled(): Promise<void> {
    while (this.#running || this.#sends.size > 0) await Promise.all([this.#idle, ...this.#sends]);
  }

  /** Stops taking work, lets in-flight sends finish, and releases anything still claimed. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#probeTimer);
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.();
    await this.settled();
    clearInterval(this.#heartbeat);
    await outboxQueries(this.#o.db).release([...this.#inFlight.keys()], this.#o.now());
    await deliveryCircuitQueries(this.#o.db)
      .remove(this.#o.sender.name, this.#process)
      .catch((e) => this.#o.log.warn({ err: e }, "could not clear the delivery circuit record"));
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
        if (this.#circuit.state === "open") await this.#whileOpen(now);
        else await this.#fill(now);
      } catch (e) {
        this.#o.log.error({ err: e }, "outbox pass failed");
      }
    } while (this.#again && !this.#stopped);
  }

  /** Claims enough to fill the window, once at least a quarter of it is free. */
  async #fill(now: Date): Promise<void> {
    const room = this.#o.concurrency - this.#inFlight.size;
    if (this.#drained || room < Math.max(1, Math.floor(this.#o.concurrency / 4))) return;
    const claimed = await this.#claim(now, room, false);
    if (claimed < room) this.#drained = true;
    else this.#again = true;
  }

  /** Open circuit: probe with one message when it is time; resume when another process's probe got through. */
  async #whileOpen(now: Date): Promise<void> {
    const { db, sender } = this.#o;
    if (now.getTime() - this.#lastLook >= 1_000) {
      this.#lastLook = now.getTime();
      const since = this.#circuit.openedAt ?? now;
      if (await deliveryCircuitQueries(db).closedElsewhereSince(sender.name, this.#process, since)) {
        this.#changed(this.#circuit.close(), now, "another process reached the provider");
        this.#again = true;
        return;
      }
    }
    if (!this.#circuit.probeDue(now)) return this.#wakeForProbe(now);
    this.#circuit.probing = true;
    if ((await this.#claim(now, 1, true)) === 0) {
      this.#changed(this.#circuit.close(), now, "nothing left to send");
      this.#again = true;
    }
  }

  #wakeForProbe(now: Date): void {
    clearTimeout(this.#probeTimer);
    this.#probeTimer = setTimeout(() => this.wake(), Math.max(0, this.#circuit.nextProbeAt - now.getTime()));
    this.#probeTimer.unref();
  }

  /** Claims up to `limit` messages and starts sending them; returns how many. */
  async #claim(now: Date, limit: number, probe: boolean): Promise<number> {
    const batch = await outboxQueries(this.#o.db).claimDue(
      now,
      new Date(now.getTime() + this.#o.leaseMs),
      limit,
      probe,
    );
    for (const m of batch) {
      this.#inFlight.set(m.id, m.attempts);
      const send = this.#deliver(m, probe).finally(() => {
        // A probe that ended without a verdict (expired, not sendable) lets the next one go.
        if (probe) this.#circuit.probing = false;
        this.#inFlight.delete(m.id);
        this.#sends.delete(send);
        if (!this.#drained || this.#circuit.state === "open") this.#pump();
      });
      this.#sends.add(send);
    }
    return batch.length;
  }

  /** Sends one claimed message and records the outcome. */
  async #deliver(m: ClaimedMessage, probe: boolean): Promise<void> {
    const { db, log, sender, metrics } = this.#o;
    const q = outboxQueries(db);
    const now = this.#o.now();
    try {
      if (m.expiresAt.getTime() <= now.getTime())
        return await q.markFailed(m.id, m.attempts, now, "delivery TTL ran out before it could be sent");
      const mail = composeMail(this.#o, m);
      const started = performance.now();
      const receipt = await sender.send(mail);
      metrics?.sendSeconds.observe({ provider: sender.name }, (performance.now() - started) / 1000);
      this.#changed(this.#circuit.answered(), this.#o.now());
      const sentEvent = m.codeKind ? SENT_EVENT[m.codeKind] : undefined;
      const ours = await new Promise<boolean>((done) =>
        this.#record({ id: m.id, claim: m.attempts, at: this.#o.now(), sentEvent, done }),
      );
      metrics?.sends.inc({ provider: sender.name, result: "sent" });
      if (!ours)
        log.warn({ outboxId: m.id }, "message sent, but another process had taken it over meanwhile");
      log.info(
        { outboxId: m.id, type: m.type, userId: m.userId, attempts: m.attempts, reply: receipt.response },
        "message sent",
      );
    } catch (e) {
      await this.#failed(m, e, probe);
    }
  }

  /**
   * Queues a sent message for recording. Whatever finished while the last record statement ran
   * goes in the next one: one statement for many messages under load, no added wait when idle.
   */
  #record(item: Recorded): void {
    this.#toRecord.push(item);
    if (!this.#recording) {
      this.#recording = true;
      setImmediate(() => void this.#flush());
    }
  }

  async #flush(): Promise<void> {
    const { db, log, sender } = this.#o;
    const batch = this.#toRecord;
    this.#toRecord = [];
    try {
      let ours: Set<string>;
      try {
        ours = await outboxQueries(db).recordSentMany(batch, sender.name);
      } catch (e) {
        // E.g. a deadlock with a command that locked one of these users: one by one instead.
        log.warn({ err: e, messages: batch.length }, "recording sent messages together failed; one by one");
        ours = await this.#recordEach(batch);
      }
      for (const b of batch) b.done(ours.has(b.id));
    } finally {
      this.#recording = false;
      if (this.#toRecord.length > 0) {
        this.#recording = true;
        void this.#flush();
      }
      // A recorded message may unblock the next of its user: look again.
      this.#drained = false;
      this.#pump();
    }
  }

  /** Records each message on its own; one that cannot be recorded counts as not ours (its lease decides). */
  async #recordEach(batch: readonly Recorded[]): Promise<Set<string>> {
    const q = outboxQueries(this.#o.db);
    const ours = new Set<string>();
    for (const b of batch) {
      try {
        if (await q.recordSent(b.id, b.claim, b.at, this.#o.sender.name, b.sentEvent)) ours.add(b.id);
      } catch (e) {
        this.#o.log.error({ err: e, outboxId: b.id }, "could not record a sent message");
      }
    }
    return ours;
  }

  async #failed(m: OutboxMessage, e: unknown, probe: boolean): Promise<void> {
    const { db, log, sender, metrics } = this.#o;
    const now = this.#o.now();
    const error = e instanceof Error ? e.message : String(e);
    const unavailable = e instanceof SendError && e.unavailable;
    if (unavailable) {
      const change = this.#circuit.unavailable(now, error, probe);
      if (change) this.#changed(change, now, error);
      else if (probe) this.#saveCircuit(now, now);
    } else if (e instanceof SendError) this.#changed(this.#circuit.answered(), now);
    const permanent = e instanceof SendError && e.permanent;
    const limit = this.#o.maxAttempts > 0 && m.attempts >= this.#o.maxAttempts;
    const q = outboxQueries(db);
    if (permanent || limit) {
      metrics?.sends.inc({ provider: sender.name, result: "failed" });
      await q.markFailed(
        m.id,
        m.attempts,
        now,
        limit && !permanent ? `attempt limit reached: ${error}` : error,
      );
      log.warn({ outboxId: m.id, type: m.type, attempts: m.attempts, error }, "message failed");
      return;
    }
    metrics?.sends.inc({ provider: sender.name, result: "retry" });
    const delay = backoffMs(m.attempts, this.#o.backoffBaseMs, this.#o.backoffMaxMs);
    const next = Math.min(now.getTime() + delay, m.expiresAt.getTime());
    await q.retryLater(m.id, m.attempts, now, new Date(next), error);
    // An outage is logged once by the circuit, not once per message.
    log[unavailable ? "debug" : "info"](
      { outboxId: m.id, attempts: m.attempts, error },
      "message will be retried",
    );
  }

  /** Logs, counts and records a change of the circuit; on closing, what the outage deferred is due now. */
  #changed(change: CircuitChange, now: Date, why?: string): void {
    if (!change) return;
    const { db, log, sender, metrics } = this.#o;
    const provider = sender.name;
    const open = change === "opened";
    metrics?.circuitOpen.set({ provider }, open ? 1 : 0);
    metrics?.circuitChanges.inc({ provider, state: open ? "open" : "closed" });
    if (open) log.warn({ provider, error: why }, "mail provider unavailable: delivery paused, probing");
    else
      log.info({ provider, reason: why ?? "a send got through" }, "mail provider answers: delivery resumed");
    void (async () => {
      await this.#saveCircuit(now, now);
      if (!open) {
        const pulled = await outboxQueries(db).pullForward(now);
        if (pulled > 0)
          log.info({ provider, messages: pulled }, "messages deferred by the outage are due now");
        this.wake();
      } else this.#wakeForProbe(now);
    })().catch((e) => log.error({ err: e }, "could not record the delivery circuit"));
  }

  /** Records this process's circuit for operators (`usher mail list`). */
  async #saveCircuit(changedAt: Date, checkedAt: Date): Promise<void> {
    await deliveryCircuitQueries(this.#o.db)
      .save({
        provider: this.#o.sender.name,
        process: this.#process,
        state: this.#circuit.state,
        changedAt: this.#circuit.openedAt ?? changedAt,
        checkedAt,
        lastError: this.#circuit.lastError ?? null,
        failures: this.#circuit.failures,
      })
      .catch((e) => this.#o.log.warn({ err: e }, "could not record the delivery circuit"));
  }

  async #housekeeping(now: Date): Promise<void> {
    const q = outboxQueries(this.#o.db);
    // Claims of a dead process go back to the queue once their lease ran out: checked once per
    // poll interval, not before every claim.
    if (now.getTime() - this.#lastReclaim >= this.#o.pollIntervalMs) {
      this.#lastReclaim = now.getTime();
      const reclaimed = await q.reclaimExpired(now);
      if (reclaimed > 0)
        this.#o.log.warn({ messages: reclaimed }, "claims whose lease ran out are queued again");
    }
    if (now.getTime() - this.#lastWipe <= 60_000) return;
    this.#lastWipe = now.getTime();
    await q.wipeExpired(now);
    const expired = await q.failExpired(now);
    if (expired > 0) this.#o.log.warn({ messages: expired }, "messages failed: their delivery TTL ran out");
  }

  /** The heartbeat: extends the lease of every message this process is sending. */
  async #renew(): Promise<void> {
    if (this.#inFlight.size === 0) return;
    const until = new Date(this.#o.now().getTime() + this.#o.leaseMs);
    await outboxQueries(this.#o.db)
      .renew([...this.#inFlight.keys()], until)
      .catch((e) => this.#o.log.warn({ err: e }, "could not renew delivery leases"));
  }
}
