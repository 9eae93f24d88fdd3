import { ApiError, type Page, tenantApi } from "./api.ts";

/** An invite job as `GET /v1/invite-jobs/{id}` shows it. */
export interface InviteJob {
  id: string;
  status: "receiving" | "queued" | "running" | "done" | "cancelled" | "failed";
  dry_run: boolean;
  format: "csv" | "jsonl";
  options: { send_invite: boolean; application_name: string; url_template: string; on_existing: OnExisting };
  totals: {
    read: number;
    processed: number;
    created: number;
    invited: number;
    mailed: number;
    skipped: number;
    failed: number;
    valid: number;
  };
  rows_per_second: number | null;
  eta_seconds: number | null;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export type OnExisting = "skip" | "resend" | "fail";

/** A row of a job with its outcome (`GET /v1/invite-jobs/{id}/rows`). */
export interface JobRow {
  row: number;
  email: string;
  status: string;
  reason: string | null;
  message: string | null;
  notices: string[];
  user_id: string | null;
}

/** The options of `POST /v1/invite-jobs`, as the form holds them. */
export interface JobOptions {
  sendInvite: boolean;
  onExisting: OnExisting;
  applicationName: string;
  urlTemplate: string;
}

/** Whether the workers may still change the job (its page keeps asking). */
export function jobActive(job: InviteJob): boolean {
  return job.status === "receiving" || job.status === "queued" || job.status === "running";
}

/** The file's media type for the API, from its name: JSON lines by extension, CSV otherwise. */
export function fileMediaType(name: string): "text/csv" | "application/x-ndjson" {
  // Not `File.type`: browsers call a .csv "application/vnd.ms-excel" where Excel is installed.
  return /\.(jsonl|ndjson)$/i.test(name) ? "application/x-ndjson" : "text/csv";
}

/** Uploads the file as a job (a dry run or the real one); the API answers once it is stored. */
export function uploadJob(file: File, options: JobOptions, dryRun: boolean): Promise<InviteJob> {
  const q = new URLSearchParams({
    send_invite: String(options.sendInvite),
    on_existing: options.onExisting,
    dry_run: String(dryRun),
  });
  if (options.applicationName) q.set("application_name", options.applicationName);
  if (options.urlTemplate) q.set("url_template", options.urlTemplate);
  return tenantApi<InviteJob>(`/invite-jobs?${q}`, {
    method: "POST",
    body: file,
    headers: { "content-type": fileMediaType(file.name) },
  });
}

export function getJob(id: string): Promise<InviteJob> {
  return tenantApi<InviteJob>(`/invite-jobs/${encodeURIComponent(id)}`);
}

export function cancelJob(id: string): Promise<InviteJob> {
  return tenantApi<InviteJob>(`/invite-jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" });
}

/** One page of the job's failed rows, in file order. */
export function failedRows(id: string, limit: number, cursor?: string | null): Promise<Page<JobRow>> {
  const q = new URLSearchParams({ status: "failed", limit: String(limit) });
  if (cursor) q.set("cursor", cursor);
  return tenantApi<Page<JobRow>>(`/invite-jobs/${encodeURIComponent(id)}/rows?${q}`);
}

/** Every failed row of the job, page by page (the API gives at most 1,000 at a time). */
export async function allFailedRows(id: string): Promise<JobRow[]> {
  const rows: JobRow[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<JobRow> = await failedRows(id, 1000, cursor);
    rows.push(...page.data);
    cursor = page.has_more ? page.next_cursor : null;
  } while (cursor);
  return rows;
}

/** Whether asking again may help: the network or the server, not the request itself. */
export function transient(e: unknown): boolean {
  return !(e instanceof ApiError) || e.status >= 500 || e.status === 429;
}
