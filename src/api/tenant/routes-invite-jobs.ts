import type { Caller } from "../../authz/caller.ts";
import type { CommandDeps } from "../../commands/deps.ts";
import { InvalidEncoding, startInviteJob, UnreadableFile } from "../../commands/invite-job-upload.ts";
import {
  type InviteJob,
  inviteJobQueries,
  type JobStatus,
  type OnExisting,
  type RowStatus,
} from "../../queries/invite-jobs.ts";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import type { TenantCall, TenantRoute } from "./route.ts";
import { InviteJobListQuery, InviteJobOptions, InviteJobRowsQuery } from "./schemas-invite-jobs.ts";
import { notFound, TenantError, validation } from "./tenant-error.ts";

const caller = (c: TenantCall) => c.caller as Caller;

/** Media types a job's file may have, and how each is read. */
export const JOB_MEDIA_TYPES: Readonly<Record<string, "csv" | "jsonl">> = {
  "text/csv": "csv",
  "application/x-ndjson": "jsonl",
  "application/jsonl": "jsonl",
  "application/x-jsonlines": "jsonl",
};

/** `/v1/invite-jobs`: many people invited from one file, in the background, with per-row results. */
export function inviteJobRoutes(deps: CommandDeps): TenantRoute[] {
  const jobs = inviteJobQueries(deps.db);
  const retention = deps.config.inviteJobRetention;
  /** The tenant's job, if the caller may read the tenant's users; else 404. */
  async function readable(c: TenantCall): Promise<InviteJob> {
    deps.authz.require(caller(c), "user.read", { orgId: c.tenantId }, "AUTH-AWfge");
    const job = await jobs.get(c.tenantId, c.params.id ?? "");
    if (!job) throw notFound("Invite job", { job_id: c.params.id });
    return job;
  }
  /** How many of the job's invites were delivered (a join over its rows: one job at a time). */
  const mailedOf = (job: InviteJob) =>
    job.sendInvite && !job.dryRun ? jobs.mailed(job.orgId, job.id, job.createdAt) : Promise.resolve(0);
  return [
    {
      method: "POST",
      path: "/v1/invite-jobs",
      operationId: "createInviteJob",
      summary:
        "Invite everyone in a file (CSV with a header row, or JSON lines): stored as a job that Usher's processes work through in the background",
      tag: "Invite jobs",
      access: "credential",
      idempotent: true,
      query: InviteJobOptions,
      upload: {
        mediaTypes: Object.keys(JOB_MEDIA_TYPES),
        limit: deps.config.inviteJobMaxBytes,
        description:
          "CSV (`text/csv`): a header row with `email` and any of `name`, `given_name`, `family_name`, `locale`, `username`, then one person per row. JSON lines (`application/x-ndjson`): one object with those fields per line. Read as a stream; at most USHER_INVITE_JOB_MAX_BYTES (default 256 MiB).",
      },
      responses: { 202: "InviteJob", 400: "Error", 413: "Error", 415: "Error", 422: "Error" },
      errors: {
        400: "validation_error: an option is invalid (details.fields), the CSV header has an unknown or repeated column or no email column, the CSV quoting is broken, or a JSON line is longer than 64 KiB. invalid_encoding: the file is not UTF-8 (details.line and details.byte_offset: the first malformed byte); the whole upload is refused and nothing is kept, since the file is read completely before the answer. A bad row does not fail the upload: it fails alone (GET …/rows?status=failed).",
        403: "tenant_mismatch, or forbidden: the credential may not create users in the tenant.",
        413: "payload_too_large: the file is larger than USHER_INVITE_JOB_MAX_BYTES (declared or counted while reading); no job is kept.",
        415: "unsupported_media_type: Content-Type is not text/csv or application/x-ndjson (application/jsonl).",
        409: "A request with this Idempotency-Key is still being uploaded.",
        422: "idempotency_key_reused: this Idempotency-Key was used with other options or another file. The same key with the same options and the same file answers the first job again (its 202 as it was then), within 24 hours, without storing the file twice.",
      },
      async handler(c) {
        const format = JOB_MEDIA_TYPES[mediaType(c.headers)];
        if (!format)
          throw new TenantError(
            415,
            "unsupported_media_type",
            `Send the file as ${Object.keys(JOB_MEDIA_TYPES).join(" or ")}.`,
            { content_type: c.headers.get("content-type") ?? "" },
          );
        const o = c.query as {
          send_invite?: boolean;
          application_name?: string;
          url_template?: string;
          on_existing?: OnExisting;
          dry_run?: boolean;
        };
        try {
          const job = await startInviteJob(
            deps,
            caller(c),
            c.tenantId,
            {
              format,
              sendInvite: o.send_invite ?? true,
              applicationName: o.application_name ?? "",
              urlTemplate: o.url_template ?? "",
              onExisting: o.on_existing ?? "skip",
              dryRun: o.dry_run ?? false,
            },
            c.upload ?? emptyBody(),
          );
          return { status: 202, body: jobView(job, 0, deps.now(), retention) };
        } catch (e) {
          if (e instanceof UnreadableFile)
            throw validation(e.problems.map((message) => ({ field: "body", message })));
          if (e instanceof InvalidEncoding)
            throw new TenantError(
              400,
              "invalid_encoding",
              `The file is not UTF-8 (line ${e.line}, byte ${e.byteOffset}): save it as UTF-8 and upload it again. Nothing was stored.`,
              { line: e.line, byte_offset: e.byteOffset },
            );
          throw e;
        }
      },
    },
    {
      method: "GET",
      path: "/v1/invite-jobs",
      operationId: "listInviteJobs",
      summary: "The tenant's invite jobs, newest first; ?status= for jobs in one state",
      tag: "Invite jobs",
      access: "credential",
      query: InviteJobListQuery,
      responses: { 200: "InviteJobPage" },
      errors: { 400: "validation_error: a bad status, limit or cursor." },
      async handler(c) {
        deps.authz.require(caller(c), "user.read", { orgId: c.tenantId }, "AUTH-AWfge");
        const limit = (c.query.limit as number | undefined) ?? 20;
        const after = decodeCursor(c.query.cursor);
        const status = c.query.status as JobStatus | undefined;
        const found = await jobs.list(c.tenantId, after, status, limit + 1);
        const shown = found.slice(0, limit);
        const last = shown.at(-1);
        const now = deps.now();
        return {
          status: 200,
          body: {
            data: shown.map((j) => jobView(j, null, now, retention)),
            next_cursor:
              found.length > limit && last ? encodeCursor({ created_at: last.createdAt, id: last.id }) : null,
            has_more: found.length > limit,
          },
        };
      },
    },
    {
      method: "GET",
      path: "/v1/invite-jobs/{id}",
      operationId: "getInviteJob",
      summary:
        "A job's status and totals (created, invited, mailed, skipped, failed), rows per second and time left",
      tag: "Invite jobs",
      access: "credential",
      responses: { 200: "InviteJob", 404: "Error" },
      async handler(c) {
        const job = await readable(c);
        return { status: 200, body: jobView(job, await mailedOf(job), deps.now(), retention) };
      },
    },
    {
      method: "GET",
      path: "/v1/invite-jobs/{id}/rows",
      operationId: "listInviteJobRows",
      summary:
        "A job's rows in file order with their outcome and reason; ?status=failed for the refused ones",
      tag: "Invite jobs",
      access: "credential",
      query: InviteJobRowsQuery,
      responses: { 200: "InviteJobRowPage", 404: "Error" },
      errors: {
        404: "not_found: no such job in this tenant.",
        400: "validation_error: a bad status, limit or cursor.",
      },
      async handler(c) {
        const job = await readable(c);
        const limit = (c.query.limit as number | undefined) ?? 100;
        const after = rowCursor(c.query.cursor);
        const rows = await jobs.rows(job.id, c.query.status as RowStatus | undefined, after, limit + 1);
        const shown = rows.slice(0, limit);
        const last = shown.at(-1);
        return {
          status: 200,
          body: {
            data: shown.map((r) => ({
              row: r.row_no,
              email: r.email,
              status: r.status,
              reason: r.reason,
              message: r.message,
              notices: r.notices ?? [],
              user_id: r.user_id,
            })),
            next_cursor:
              rows.length > limit && last ? Buffer.from(`r${last.row_no}`).toString("base64url") : null,
            has_more: rows.length > limit,
          },
        };
      },
    },
    {
      method: "POST",
      path: "/v1/invite-jobs/{id}/cancel",
      operationId: "cancelInviteJob",
      summary: "Stop a job: rows not yet processed stay pending and are never applied; applied rows stay",
      tag: "Invite jobs",
      access: "credential",
      responses: { 200: "InviteJob", 404: "Error", 409: "Error" },
      errors: { 409: "job_finished: the job is done, cancelled or failed already." },
      async handler(c) {
        const job = await readable(c);
        deps.authz.require(caller(c), "user.write", { orgId: c.tenantId }, "AUTH-AWfge");
        if (!["queued", "running"].includes(job.status))
          throw new TenantError(
            409,
            "job_finished",
            `The job is ${job.status}; only a queued or running job can be cancelled.`,
            {
              status: job.status,
            },
          );
        const after = (await jobs.cancel(job.orgId, job.id, deps.now())) ?? job;
        return { status: 200, body: jobView(after, await mailedOf(after), deps.now(), retention) };
      },
    },
  ];
}

async function* emptyBody(): AsyncGenerator<Buffer> {}

/** The media type of the body, without parameters, lower-cased. */
function mediaType(headers: Headers): string {
  return (headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

function rowCursor(cursor: unknown): number {
  if (cursor === undefined) return 0;
  const m = /^r(\d{1,9})$/.exec(Buffer.from(String(cursor), "base64url").toString("utf8"));
  if (!m) throw validation([{ field: "query.cursor", message: "is not a cursor this API returned" }]);
  return Number(m[1]);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A job as the API shows it: totals, and the pace so far with the time it suggests is left. */
export function jobView(job: InviteJob, mailed: number | null, now: Date, retentionMs: number) {
  const end = job.finishedAt ?? now;
  const seconds = job.startedAt ? (end.getTime() - job.startedAt.getTime()) / 1000 : 0;
  const rate = job.startedAt && seconds > 0 ? job.rowsDone / seconds : null;
  const left = job.rowsRead - job.rowsDone;
  const active = job.status === "queued" || job.status === "running";
  return {
    id: job.id,
    status: job.status,
    dry_run: job.dryRun,
    format: job.format,
    options: {
      send_invite: job.sendInvite,
      application_name: job.applicationName,
      url_template: job.urlTemplate,
      on_existing: job.onExisting,
    },
    totals: {
      read: job.rowsRead,
      processed: job.rowsDone,
      created: job.created,
      invited: job.invited,
      mailed,
      skipped: job.skipped,
      failed: job.failed,
      valid: job.valid,
    },
    rows_per_second: rate === null ? null : Math.round(rate * 10) / 10,
    eta_seconds: !active ? 0 : rate ? Math.ceil(left / rate) : null,
    error: job.error,
    created_at: job.createdAt.toISOString(),
    started_at: iso(job.startedAt),
    finished_at: iso(job.finishedAt),
    rows_kept_until: job.finishedAt ? new Date(job.finishedAt.getTime() + retentionMs).toISOString() : null,
  };
}
