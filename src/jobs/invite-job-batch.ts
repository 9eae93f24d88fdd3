import { Code } from "@connectrpc/connect";
import type { Caller } from "../authz/caller.ts";
import type { CommandDeps } from "../commands/deps.ts";
import type { Queryable } from "../db/types.ts";
import { normalizeEmail } from "../domain/email.ts";
import { isUsherError } from "../errors/usher-error.ts";
import { type ClaimedRow, type InviteJob, inviteJobQueries, type RowResult } from "../queries/invite-jobs.ts";
import { createNewUsers } from "./new-users.ts";
import { asDryRun, countsOf, failure, isUniqueViolation } from "./row-results.ts";
import { singleUserCommands } from "./single-user.ts";

/** What one batch did: rows processed, and errors no rule explains (for the log). */
export interface BatchOutcome {
  rows: number;
  unexpected: unknown[];
}

/** A row to apply: a new user, or an existing one whose invite is resent. */
interface Work {
  row: ClaimedRow;
  existingUserId?: string | undefined;
}

/** Rows per batch when each row runs under a savepoint (more would overflow PostgreSQL's subtransaction cache). */
const CAREFUL_BATCH = 50;

/** Thrown inside the fast path's transaction to roll it back and apply the batch row by row. */
class Refused extends Error {}

/**
 * Applies up to `size` pending rows of a job in one transaction: the rows are claimed (locked,
 * skipping rows other processes hold), applied, and their results and the job's totals written
 * in the same transaction — so a row takes effect exactly once, and a process that dies
 * mid-batch leaves its rows pending for another.
 *
 * The fast way: rows refused by the cheap checks (an unreadable line, an address earlier in the
 * file, an address the address rule refuses, an existing user) are decided first; the new
 * users are then created set-based (`createNewUsers`: a few multi-row statements for the whole
 * batch, refusals decided before anything is written), and existing users' invites resent with
 * the single-user command. If a resend is refused, or a concurrent writer took a username since
 * it was checked, the transaction rolls back and a smaller batch is applied the careful way:
 * row by row with the single-user commands, each under a savepoint, so a refused row leaves
 * nothing behind. (A savepoint makes every later statement of the transaction several times
 * slower, so the fast way has none.) A dry run applies rows the same way and rolls back to a
 * savepoint: what it reports is what a run would do.
 */
export async function applyBatch(
  deps: CommandDeps,
  job: InviteJob,
  caller: Caller,
  size: number,
): Promise<BatchOutcome> {
  try {
    return await applyClaimed(deps, job, caller, size, false);
  } catch (e) {
    if (!(e instanceof Refused) && !isUniqueViolation(e)) throw e;
  }
  return applyClaimed(deps, job, caller, Math.min(size, CAREFUL_BATCH), true);
}

async function applyClaimed(
  deps: CommandDeps,
  job: InviteJob,
  caller: Caller,
  size: number,
  careful: boolean,
): Promise<BatchOutcome> {
  return deps.db.transaction(async (tx) => {
    const q = inviteJobQueries(tx);
    const rows = await q.claim(job.id, size);
    if (rows.length === 0) return { rows: 0, unexpected: [] };
    const duplicates = await q.duplicates(
      job.id,
      rows.map((r) => r.rowNo),
    );
    const keys = [...new Set(rows.filter((r) => !duplicates.has(r.rowNo)).map((r) => r.emailKey))];
    const existing = await q.existingUsers(job.orgId, keys);
    const results: RowResult[] = [];
    const work: Work[] = [];
    for (const row of rows) {
      const decided = precheck(job, row, duplicates.get(row.rowNo), existing.get(row.emailKey));
      if (decided) results.push(decided);
      else work.push({ row, existingUserId: existing.get(row.emailKey) });
    }
    const unexpected: unknown[] = [];
    if (work.length > 0) {
      if (job.dryRun) await tx.exec("savepoint batch");
      const applied = careful
        ? await applyCarefully(deps, tx, job, caller, work, unexpected)
        : await applyFast(deps, tx, job, caller, work);
      if (job.dryRun) await tx.exec("rollback to savepoint batch");
      results.push(...(job.dryRun ? applied.map(asDryRun) : applied));
    }
    const at = deps.now();
    await q.writeResults(job.id, results, at);
    await q.addCounts(job.orgId, job.id, countsOf(results, job.sendInvite), at);
    return { rows: rows.length, unexpected };
  });
}

/** The rows decided without applying anything; undefined: the row is to be applied. */
function precheck(
  job: InviteJob,
  row: ClaimedRow,
  firstRow: number | undefined,
  existingUserId: string | undefined,
): RowResult | undefined {
  const rowNo = row.rowNo;
  if (row.problem)
    return { rowNo, status: "failed", reason: "invalid_row", message: `The row ${row.problem}.` };
  if (firstRow !== undefined)
    return {
      rowNo,
      status: "failed",
      reason: "duplicate",
      message: `The address is already in row ${firstRow} of the file.`,
    };
  try {
    normalizeEmail(row.email);
  } catch (e) {
    return failure(rowNo, e);
  }
  if (existingUserId === undefined || job.onExisting === "resend") return undefined;
  return {
    rowNo,
    status: job.onExisting === "skip" ? "skipped" : "failed",
    reason: "exists",
    message: "A user with this address already exists in this tenant.",
    userId: existingUserId,
  };
}

/**
 * New users set-based, then the resends one by one without savepoints: a refused resend
 * throws `Refused` (the caller rolls back and applies the batch carefully).
 */
async function applyFast(
  deps: CommandDeps,
  tx: Queryable,
  job: InviteJob,
  caller: Caller,
  work: readonly Work[],
): Promise<RowResult[]> {
  const fresh = work.filter((w) => w.existingUserId === undefined).map((w) => w.row);
  const results = await createNewUsers(deps, tx, job, caller, fresh);
  const single = singleUserCommands(deps, tx);
  for (const w of work) {
    if (w.existingUserId === undefined) continue;
    try {
      results.push(await resendRow(single, job, caller, w.row.rowNo, w.existingUserId));
    } catch (e) {
      if (isTransient(e)) throw e;
      throw new Refused();
    }
  }
  return results.sort((a, b) => a.rowNo - b.rowNo);
}

/**
 * Row by row with the single-user commands, each row under a savepoint: a refusal is recorded
 * as the row's failure and leaves nothing. Outages and timeouts end the batch: its rows stay
 * pending.
 */
async function applyCarefully(
  deps: CommandDeps,
  tx: Queryable,
  job: InviteJob,
  caller: Caller,
  work: readonly Work[],
  unexpected: unknown[],
): Promise<RowResult[]> {
  const single = singleUserCommands(deps, tx);
  const results: RowResult[] = [];
  for (const w of work) {
    const { row } = w;
    await tx.exec("savepoint row");
    try {
      results.push(
        w.existingUserId === undefined
          ? await createRow(single, job, caller, row)
          : await resendRow(single, job, caller, row.rowNo, w.existingUserId),
      );
      await tx.exec("release savepoint row");
    } catch (e) {
      if (isTransient(e)) throw e;
      await tx.exec("rollback to savepoint row");
      if (!isUsherError(e) && !isUniqueViolation(e)) unexpected.push(e);
      results.push(failure(row.rowNo, e));
    }
  }
  return results;
}

type Single = ReturnType<typeof singleUserCommands>;

async function createRow(
  single: Single,
  job: InviteJob,
  caller: Caller,
  row: ClaimedRow,
): Promise<RowResult> {
  const userId = await single.create(caller, job.orgId, {
    email: row.email,
    name: row.name,
    givenName: row.given_name,
    familyName: row.family_name,
    username: row.username,
    locale: row.locale,
    sendInvite: job.sendInvite,
    urlTemplate: job.urlTemplate || undefined,
    applicationName: job.applicationName || undefined,
  });
  return { rowNo: row.rowNo, status: "created", userId };
}

async function resendRow(
  single: Single,
  job: InviteJob,
  caller: Caller,
  rowNo: number,
  userId: string,
): Promise<RowResult> {
  const resent = await single.resend(caller, job.orgId, userId);
  if (resent === "not_found")
    return { rowNo, status: "failed", reason: "not_found", message: "The user is gone." };
  if (resent === "already_verified")
    return {
      rowNo,
      status: "skipped",
      reason: "already_verified",
      message: "The user's email address is already verified.",
      userId,
    };
  return { rowNo, status: "invited", userId };
}

function isTransient(e: unknown): boolean {
  return isUsherError(e) && (e.code === Code.Unavailable || e.code === Code.DeadlineExceeded);
}
