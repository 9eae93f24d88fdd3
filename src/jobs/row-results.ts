import { toTenantError } from "../api/tenant/tenant-error.ts";
import { isUsherError } from "../errors/usher-error.ts";
import type { JobCounts, RowResult } from "../queries/invite-jobs.ts";

/** Ids of the address rule's refusals: the row's reason is `invalid_email`. */
const EMAIL_IDS = new Set(["EMAIL-spblu", "EMAIL-599BI"]);

/** A refused row's result: the tenant API's error code and message for the same refusal. */
export function failure(rowNo: number, e: unknown): RowResult {
  if (isUniqueViolation(e))
    return {
      rowNo,
      status: "failed",
      reason: "conflict",
      message: "The username or address is already used in this tenant.",
    };
  const err = toTenantError(e);
  const id = isUsherError(e) ? e.id : undefined;
  const reason = id && EMAIL_IDS.has(id) ? "invalid_email" : err.code;
  const message = reason === "invalid_email" ? "The email address is not valid." : err.message;
  return { rowNo, status: "failed", reason, message, notices: err.notices };
}

/** A batch's totals; a created user's invite counts as invited when the job sends invites. */
export function countsOf(results: readonly RowResult[], sendInvite: boolean): JobCounts {
  const c: JobCounts = { done: results.length, created: 0, invited: 0, skipped: 0, failed: 0, valid: 0 };
  for (const r of results) {
    if (r.status === "created") {
      c.created++;
      if (sendInvite) c.invited++;
    } else if (r.status === "invited") c.invited++;
    else if (r.status === "skipped") c.skipped++;
    else if (r.status === "failed") c.failed++;
    else if (r.status === "valid") c.valid++;
  }
  return c;
}

/** A dry run's report: what would have been created or invited is `valid`, with no user id. */
export function asDryRun(r: RowResult): RowResult {
  if (r.status !== "created" && r.status !== "invited") return r;
  return { rowNo: r.rowNo, status: "valid" };
}

/** PostgreSQL's unique_violation: a concurrent writer took a username (or id) first. */
export function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === "23505";
}
