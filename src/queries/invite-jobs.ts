import type { Queryable } from "../db/types.ts";
import type { InviteRow } from "../domain/invite-row.ts";

export type JobStatus = "receiving" | "queued" | "running" | "done" | "cancelled" | "failed";
export type OnExisting = "skip" | "resend" | "fail";
export type RowStatus = "pending" | "created" | "invited" | "skipped" | "failed" | "valid";

/** An invite job's settings, as given when it was started. */
export interface JobSettings {
  format: "csv" | "jsonl";
  sendInvite: boolean;
  applicationName: string;
  urlTemplate: string;
  onExisting: OnExisting;
  dryRun: boolean;
}

export interface InviteJob extends JobSettings {
  orgId: string;
  id: string;
  createdBy: string;
  tokenId: string;
  status: JobStatus;
  rowsRead: number;
  rowsDone: number;
  created: number;
  invited: number;
  skipped: number;
  failed: number;
  valid: number;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

/** A row claimed for processing. */
export interface ClaimedRow extends InviteRow {
  rowNo: number;
  emailKey: string;
}

/** What became of a row. */
export interface RowResult {
  rowNo: number;
  status: Exclude<RowStatus, "pending">;
  reason?: string | undefined;
  message?: string | undefined;
  notices?: string[] | undefined;
  userId?: string | undefined;
}

/** What a batch adds to its job's totals. */
export interface JobCounts {
  done: number;
  created: number;
  invited: number;
  skipped: number;
  failed: number;
  valid: number;
}

interface JobRecord {
  org_id: string;
  id: string;
  created_by: string;
  token_id: string;
  status: JobStatus;
  format: "csv" | "jsonl";
  send_invite: boolean;
  application_name: string;
  url_template: string;
  on_existing: OnExisting;
  dry_run: boolean;
  rows_read: number;
  rows_done: number;
  created: number;
  invited: number;
  skipped: number;
  failed: number;
  valid: number;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

const toJob = (r: JobRecord): InviteJob => ({
  orgId: r.org_id,
  id: r.id,
  createdBy: r.created_by,
  tokenId: r.token_id,
  status: r.status,
  format: r.format,
  sendInvite: r.send_invite,
  applicationName: r.application_name,
  urlTemplate: r.url_template,
  onExisting: r.on_existing,
  dryRun: r.dry_run,
  rowsRead: r.rows_read,
  rowsDone: r.rows_done,
  created: r.created,
  invited: r.invited,
  skipped: r.skipped,
  failed: r.failed,
  valid: r.valid,
  error: r.error,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  updatedAt: r.updated_at,
});

/** The NOTIFY channel that wakes the invite job workers when a job is ready. */
export const INVITE_JOBS_CHANNEL = "usher_invite_jobs";

/** SQL over invite jobs and their rows. */
export function inviteJobQueries(q: Queryable) {
  return {
    async insert(
      job: { orgId: string; id: string; createdBy: string; tokenId: string; at: Date } & JobSettings,
    ) {
      await q.query(
        `insert into invite_jobs (org_id, id, created_by, token_id, status, format, send_invite,
            application_name, url_template, on_existing, dry_run, created_at, updated_at)
         values ($1, $2, $3, $4, 'receiving', $5, $6, $7, $8, $9, $10, $11, $11)`,
        [
          job.orgId,
          job.id,
          job.createdBy,
          job.tokenId,
          job.format,
          job.sendInvite,
          job.applicationName,
          job.urlTemplate,
          job.onExisting,
          job.dryRun,
          job.at,
        ],
      );
    },

    async get(orgId: string, id: string): Promise<InviteJob | undefined> {
      const rows = await q.query<JobRecord>("select * from invite_jobs where org_id = $1 and id = $2", [
        orgId,
        id,
      ]);
      return rows[0] && toJob(rows[0]);
    },

    /** Stores read rows, numbered from `firstRowNo`, in one statement. */
    async insertRows(orgId: string, jobId: string, firstRowNo: number, rows: readonly InviteRow[]) {
      const col = (f: (r: InviteRow) => string | null | undefined) => rows.map((r) => f(r) ?? null);
      await q.query(
        `insert into invite_job_rows (org_id, job_id, row_no, email, email_key, name, given_name,
            family_name, locale, username, problem)
         select $1, $2, $3::int + ord::int - 1, email, lower(btrim(email)), name, given_name,
                family_name, locale, username, problem
           from unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
                with ordinality as t(email, name, given_name, family_name, locale, username, problem, ord)`,
        [
          orgId,
          jobId,
          firstRowNo,
          col((r) => r.email),
          col((r) => r.name),
          col((r) => r.given_name),
          col((r) => r.family_name),
          col((r) => r.locale),
          col((r) => r.username),
          col((r) => r.problem),
        ],
      );
    },

    /** The upload is complete: the job's rows may be claimed. */
    async markQueued(orgId: string, id: string, rowsRead: number, at: Date): Promise<InviteJob | undefined> {
      const rows = await q.query<JobRecord>(
        `update invite_jobs
            set status = case when $3::int = 0 then 'done' else 'queued' end, rows_read = $3,
                finished_at = case when $3::int = 0 then $4::timestamptz end, updated_at = $4
          where org_id = $1 and id = $2 and status = 'receiving'
          returning *`,
        [orgId, id, rowsRead, at],
      );
      await q.query(`select pg_notify('${INVITE_JOBS_CHANNEL}', $1)`, [id]);
      return rows[0] && toJob(rows[0]);
    },

    async remove(orgId: string, id: string): Promise<void> {
      await q.query("delete from invite_jobs where org_id = $1 and id = $2", [orgId, id]);
    },

    /**
     * A page of the tenant's jobs, newest first, optionally of one status: those after the
     * position `after` (created_at, id) of the previous page's last job.
     */
    async list(
      orgId: string,
      after: { createdAt: string; id: string } | undefined,
      status: JobStatus | undefined,
      limit: number,
    ): Promise<InviteJob[]> {
      const rows = await q.query<JobRecord>(
        `select * from invite_jobs
          where org_id = $1 and ($2::timestamptz is null or (created_at, id) < ($2::timestamptz, $3::text))
            and ($4::text is null or status = $4)
          order by created_at desc, id desc
          limit $5`,
        [orgId, after?.createdAt ?? null, after?.id ?? "", status ?? null, limit],
      );
      return rows.map(toJob);
    },

    /** Jobs with rows to process, oldest first. */
    async active(limit: number): Promise<InviteJob[]> {
      const rows = await q.query<JobRecord>(
        "select * from invite_jobs where status in ('queued', 'running') order by created_at, id limit $1",
        [limit],
      );
      return rows.map(toJob);
    },

    /**
     * Takes up to `limit` pending rows of a job, in file order, locked until the transaction ends;
     * rows another transaction holds are passed over, so processes share a job without waiting.
     */
    async claim(jobId: string, limit: number): Promise<ClaimedRow[]> {
      const rows = await q.query<{
        row_no: number;
        email: string;
        email_key: string;
        name: string | null;
        given_name: string | null;
        family_name: string | null;
        locale: string | null;
        username: string | null;
        problem: string | null;
      }>(
        `select row_no, email, email_key, name, given_name, family_name, locale, username, problem
           from invite_job_rows
          where job_id = $1 and status = 'pending'
          order by row_no
          limit $2
          for update skip locked`,
        [jobId, limit],
      );
      return rows.map((r) => ({
        rowNo: r.row_no,
        emailKey: r.email_key,
        email: r.email,
        name: r.name ?? undefined,
        given_name: r.given_name ?? undefined,
        family_name: r.family_name ?? undefined,
        locale: r.locale ?? undefined,
        username: r.username ?? undefined,
        problem: r.problem ?? undefined,
      }));
    },

    /** Of these rows, those whose address an earlier row of the file has, with that first row. */
    async duplicates(jobId: string, rowNos: readonly number[]): Promise<Map<number, number>> {
      const rows = await q.query<{ row_no: number; first: number }>(
        `select r.row_no, f.first
           from invite_job_rows r
           cross join lateral (
             select min(o.row_no) as first from invite_job_rows o
              where o.job_id = r.job_id and o.email_key = r.email_key and o.row_no < r.row_no) f
          where r.job_id = $1 and r.row_no = any($2::int[]) and r.email_key <> '' and f.first is not null`,
        [jobId, rowNos],
      );
      return new Map(rows.map((r) => [r.row_no, r.first]));
    },

    /** The tenant's human users with these addresses (keys as `emailKey`), key → user id. */
    async existingUsers(orgId: string, keys: readonly string[]): Promise<Map<string, string>> {
      const rows = await q.query<{ key: string; id: string }>(
        `select lower(email) as key, id from users
          where org_id = $1 and type = 'human' and lower(email) = any($2::text[])`,
        [orgId, keys],
      );
      return new Map(rows.map((r) => [r.key, r.id]));
    },

    /** Records what became of rows, in one statement. */
    async writeResults(jobId: string, results: readonly RowResult[], at: Date): Promise<void> {
      await q.query(
        `update invite_job_rows r
            set status = t.status, reason = t.reason, message = t.message,
                notices = case when t.notices is null then null else array(select json_array_elements_text(t.notices::json)) end,
                user_id = t.user_id, processed_at = $7
           from unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $8::text[])
                as t(row_no, status, reason, message, notices, user_id)
          where r.job_id = $1 and r.row_no = t.row_no`,
        [
          jobId,
          results.map((r) => r.rowNo),
          results.map((r) => r.status),
          results.map((r) => r.reason ?? null),
          results.map((r) => r.message ?? null),
          results.map((r) => (r.notices?.length ? JSON.stringify(r.notices) : null)),
          at,
          results.map((r) => r.userId ?? null),
        ],
      );
    },

    /**
     * Adds a batch's counts to its job's totals; the job is running, and done once every row
     * read is processed (a cancelled job stays cancelled).
     */
    async addCounts(orgId: string, id: string, c: JobCounts, at: Date): Promise<void> {
      await q.query(
        `update invite_jobs
            set rows_done = rows_done + $3, created = created + $4, invited = invited + $5,
                skipped = skipped + $6, failed = failed + $7, valid = valid + $8,
                started_at = coalesce(started_at, $9),
                status = case when status <> 'running' and status <> 'queued' then status
                              when rows_done + $3 >= rows_read then 'done' else 'running' end,
                finished_at = case when status in ('running', 'queued') and rows_done + $3 >= rows_read
                                   then $9::timestamptz else finished_at end,
                updated_at = $9
          where org_id = $1 and id = $2`,
        [orgId, id, c.done, c.created, c.invited, c.skipped, c.failed, c.valid, at],
      );
    },

    /** Stops a job for good (its credential gone): no more rows are claimed. */
    async fail(orgId: string, id: string, error: string, at: Date): Promise<void> {
      await q.query(
        `update invite_jobs set status = 'failed', error = $3, finished_at = $4, updated_at = $4
          where org_id = $1 and id = $2 and status in ('queued', 'running')`,
        [orgId, id, error, at],
      );
    },

    /** Cancels a job that is not finished; answers the job as it is afterwards. */
    async cancel(orgId: string, id: string, at: Date): Promise<InviteJob | undefined> {
      await q.query(
        `update invite_jobs set status = 'cancelled', finished_at = $3, updated_at = $3
          where org_id = $1 and id = $2 and status in ('queued', 'running')`,
        [orgId, id, at],
      );
      return this.get(orgId, id);
    },

    /** A page of a job's rows in file order, optionally of one status. */
    async rows(jobId: string, status: RowStatus | undefined, afterRowNo: number, limit: number) {
      return q.query<{
        row_no: number;
        email: string;
        status: RowStatus;
        reason: string | null;
        message: string | null;
        notices: string[] | null;
        user_id: string | null;
      }>(
        `select row_no, email, status, reason, message, notices, user_id
           from invite_job_rows
          where job_id = $1 and ($2::text is null or status = $2) and row_no > $3
          order by row_no
          limit $4`,
        [jobId, status ?? null, afterRowNo, limit],
      );
    },

    /**
     * Refreshes the planner's statistics of the tables a job fills. A job grows them faster
     * than autovacuum looks: on statistics of a near-empty `users`, the planner reads a
     * user by `users_org_username`'s organization prefix, scanning the whole tenant for every
     * row (measured: 100 rows/s and falling at 23,000 users; 450 rows/s right after ANALYZE).
     */
    async refreshStatistics(): Promise<void> {
      await q.exec("analyze users, user_codes, events, outbox, send_throttle, invite_job_rows");
    },

    /**
     * Deletes up to `limit` rows of jobs that finished (done, cancelled or failed) before
     * `before`; the jobs keep their totals. Answers how many rows went.
     */
    async purgeRows(before: Date, limit: number): Promise<number> {
      const rows = await q.query<{ n: number }>(
        `with gone as (
           delete from invite_job_rows where (job_id, row_no) in (
             select r.job_id, r.row_no from invite_jobs j join invite_job_rows r on r.job_id = j.id
              where j.finished_at < $1 and j.status in ('done', 'cancelled', 'failed')
              limit $2)
           returning 1)
         select count(*)::int as n from gone`,
        [before, limit],
      );
      return rows[0]?.n ?? 0;
    },

    /** How many of the job's invites have been delivered (their message is sent). */
    async mailed(orgId: string, jobId: string, since: Date): Promise<number> {
      const rows = await q.query<{ n: number }>(
        `select count(*)::int as n
           from invite_job_rows r
          where r.job_id = $1 and r.status in ('created', 'invited')
            and exists (select 1 from outbox o
                         where o.org_id = $2 and o.user_id = r.user_id and o.message_type = 'InviteUser'
                           and o.status = 'sent' and o.created_at >= $3)`,
        [jobId, orgId, since],
      );
      return rows[0]?.n ?? 0;
    },
  };
}
