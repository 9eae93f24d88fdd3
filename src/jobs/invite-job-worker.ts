import type { Logger } from "pino";
import { callerOfToken } from "../authz/authenticate.ts";
import type { CommandDeps } from "../commands/deps.ts";
import { INVITE_JOBS_CHANNEL, inviteJobQueries } from "../queries/invite-jobs.ts";
import { applyBatch } from "./invite-job-batch.ts";

export interface InviteJobWorkerOptions {
  deps: CommandDeps;
  log: Logger;
  /** Rows applied per transaction. */
  batchSize: number;
  /** Batches this process applies at once (each on a connection of its own); 0 turns the worker off. */
  concurrency: number;
  /** How often an idle worker looks for jobs (NOTIFY wakes it sooner). */
  pollIntervalMs: number;
  /** How long a finished job keeps its rows (`USHER_INVITE_JOB_RETENTION`). */
  retentionMs: number;
}

/** How often a process deletes the rows of jobs past their retention, and how many per statement. */
const PURGE_EVERY_MS = 3_600_000;
const PURGE_CHUNK = 10_000;

/**
 * Works through the rows of queued invite jobs, in every process: each lane takes the oldest
 * job with pending rows and applies a batch of them (`applyBatch`); rows are claimed with SKIP
 * LOCKED, so lanes and processes share one job without waiting for each other. A job's batches
 * run with the rights of the token that started it; once that token is revoked the job fails.
 */
export class InviteJobWorker {
  readonly #o: InviteJobWorkerOptions;
  #stopped = true;
  #lanes: Promise<void>[] = [];
  #wakers = new Set<() => void>();
  #unlisten: (() => Promise<void>) | undefined;
  /** Rows this process applied, and at how many it next refreshes the statistics. */
  #applied = 0;
  #nextAnalyze = 1_000;
  #analyzing = false;
  #purgeTimer: NodeJS.Timeout | undefined;

  constructor(options: InviteJobWorkerOptions) {
    this.#o = options;
  }

  async start(): Promise<void> {
    if (this.#o.concurrency <= 0) return;
    this.#stopped = false;
    this.#unlisten = await this.#o.deps.db.listen(INVITE_JOBS_CHANNEL, () => this.wake());
    this.#lanes = Array.from({ length: this.#o.concurrency }, () => this.#lane());
    this.#purgeTimer = setInterval(() => void this.#purgeLogged(), PURGE_EVERY_MS);
    this.#purgeTimer.unref();
  }

  /**
   * Deletes the rows of jobs that finished longer than the retention ago, ten thousand per
   * statement, and answers how many went; the jobs keep their totals. Every process that works
   * on jobs does this once an hour; two at once only share the work.
   */
  async purgeExpiredRows(): Promise<number> {
    const { deps, retentionMs } = this.#o;
    const before = new Date(deps.now().getTime() - retentionMs);
    let total = 0;
    for (;;) {
      const n = await inviteJobQueries(deps.db).purgeRows(before, PURGE_CHUNK);
      total += n;
      if (n < PURGE_CHUNK || this.#stopped) return total;
    }
  }

  async #purgeLogged(): Promise<void> {
    try {
      const n = await this.purgeExpiredRows();
      if (n > 0) this.#o.log.info({ rows: n }, "deleted the rows of invite jobs past their retention");
    } catch (e) {
      this.#o.log.warn({ err: e }, "could not delete the rows of old invite jobs");
    }
  }

  /** Lets waiting lanes look for work now. */
  wake(): void {
    for (const w of this.#wakers) w();
    this.#wakers.clear();
  }

  /** Stops taking batches; batches in progress finish (or their rows go back to pending). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#purgeTimer);
    this.wake();
    await Promise.all(this.#lanes);
    await this.#unlisten?.();
  }

  async #lane(): Promise<void> {
    while (!this.#stopped) {
      let worked = false;
      try {
        worked = await this.#step();
      } catch (e) {
        this.#o.log.error({ err: e }, "invite job batch failed; its rows stay pending");
      }
      if (!worked && !this.#stopped) await this.#idle();
    }
  }

  /** Applies one batch of the oldest job with pending rows; false when there was nothing to do. */
  async #step(): Promise<boolean> {
    const { deps, log } = this.#o;
    const jobs = inviteJobQueries(deps.db);
    for (const job of await jobs.active(8)) {
      if (this.#stopped) return false;
      const caller = await callerOfToken(deps.db, job.tokenId, deps.now());
      if (!caller) {
        await jobs.fail(job.orgId, job.id, "credential_revoked", deps.now());
        log.warn({ job: job.id }, "invite job stopped: the credential that started it is no longer valid");
        continue;
      }
      const outcome = await applyBatch(deps, job, caller, this.#o.batchSize);
      for (const err of outcome.unexpected)
        log.error({ err, job: job.id }, "invite job row failed unexpectedly");
      if (outcome.rows > 0) {
        this.#applied += outcome.rows;
        await this.#analyzeWhenDue();
        return true;
      }
    }
    return false;
  }

  /**
   * After 1,000 and 4,000 rows, then every 10,000, this process refreshes the statistics of the
   * tables jobs fill (`refreshStatistics`); one lane at a time, the others go on.
   */
  async #analyzeWhenDue(): Promise<void> {
    if (this.#applied < this.#nextAnalyze || this.#analyzing) return;
    this.#analyzing = true;
    this.#nextAnalyze = this.#nextAnalyze < 4_000 ? 4_000 : this.#applied + 10_000;
    try {
      await inviteJobQueries(this.#o.deps.db).refreshStatistics();
    } catch (e) {
      this.#o.log.warn({ err: e }, "could not refresh the planner's statistics (ANALYZE)");
    } finally {
      this.#analyzing = false;
    }
  }

  #idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.#o.pollIntervalMs);
      timer.unref();
      const wakers = this.#wakers;
      function done() {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      }
      wakers.add(done);
    });
  }
}
