import type { Caller } from "../authz/caller.ts";
import type { CommandDeps } from "../commands/deps.ts";
import type { Queryable } from "../db/types.ts";
import { normalizeEmail } from "../domain/email.ts";
import { humanAddedPayload, newHumanUser } from "../domain/human-user.ts";
import { uuidv7 } from "../domain/ids.ts";
import { inviteCodeAddedPayload, type KeptCodeSettings, type NewCode, newCode } from "../domain/new-code.ts";
import { recipientBucket, throttled } from "../domain/send-limits.ts";
import { tenantNames } from "../domain/tenant-profile.ts";
import type { User } from "../domain/user.ts";
import { alreadyExists, failedPrecondition } from "../errors/usher-error.ts";
import { enqueueMessages } from "../outbox/enqueue.ts";
import type { ClaimedRow, InviteJob, RowResult } from "../queries/invite-jobs.ts";
import { type FirstEvent, newUserQueries } from "../queries/new-users.ts";
import { throttleQueries } from "../queries/throttle.ts";
import { failure } from "./row-results.ts";

/** A row on its way to becoming a user: what it will store. */
interface Planned {
  row: ClaimedRow;
  user: User;
  code?: NewCode | undefined;
}

/**
 * Creates (and invites) the users of a batch's new rows set-based: the rules of a single
 * creation decide each row in memory — the address, the names' defaults, Cedar's decisions,
 * the username free in the tenant, the recipient's hourly cap — and the rows that pass are
 * written with one statement per table (users, events, codes, outbox), whatever their number.
 * A refused row is a result, never an exception, and takes nothing (no user, no throttle
 * token). The users, events, codes and messages are built by the same domain functions the
 * single-user path uses, so a job's user is the user `POST /v1/users` makes.
 *
 * A unique violation (a username taken by a concurrent writer since it was checked) aborts the
 * statement: the caller rolls the batch back and applies it row by row.
 */
export async function createNewUsers(
  deps: CommandDeps,
  tx: Queryable,
  job: InviteJob,
  caller: Caller,
  rows: readonly ClaimedRow[],
): Promise<RowResult[]> {
  const at = deps.now();
  const results: RowResult[] = [];
  let planned = planUsers(deps, job, caller, rows, at, results);
  planned = await withFreeUsernames(tx, job.orgId, planned, results);
  if (job.sendInvite) {
    planned = invitable(deps, job, caller, planned, at, results);
    planned = await withinRecipientCap(deps, tx, planned, at, results);
  }
  if (planned.length === 0) return results;
  await writeUsers(deps, tx, caller, planned, at);
  for (const p of planned) results.push({ rowNo: p.row.rowNo, status: "created", userId: p.user.id });
  return results.sort((a, b) => a.rowNo - b.rowNo);
}

/** Each row's user as the tenant API makes it, if the address is valid and the caller may create users. */
function planUsers(
  deps: CommandDeps,
  job: InviteJob,
  caller: Caller,
  rows: readonly ClaimedRow[],
  at: Date,
  results: RowResult[],
): Planned[] {
  const planned: Planned[] = [];
  for (const row of rows) {
    try {
      const email = normalizeEmail(row.email);
      const names = tenantNames({
        email: row.email,
        name: row.name,
        givenName: row.given_name,
        familyName: row.family_name,
      });
      // Cedar decides with the same target as a single creation; equal decisions are cached.
      deps.authz.require(caller, "user.write", { orgId: job.orgId, email }, "AUTH-AWfge");
      const user = newHumanUser({
        orgId: job.orgId,
        id: uuidv7(at.getTime()),
        username: row.username?.trim() || email,
        givenName: names.givenName.trim(),
        familyName: names.familyName.trim(),
        displayName: names.displayName,
        preferredLanguage: row.locale,
        email,
        emailVerified: false,
        sequence: 0,
        at,
      });
      planned.push({ row, user });
    } catch (e) {
      results.push(failure(row.rowNo, e));
    }
  }
  return planned;
}

/**
 * The rows whose username no user of the tenant has, nor an earlier row of the batch; the
 * organization must be active. The refusals are the single creation's.
 */
async function withFreeUsernames(
  tx: Queryable,
  orgId: string,
  planned: Planned[],
  results: RowResult[],
): Promise<Planned[]> {
  if (planned.length === 0) return planned;
  const facts = await newUserQueries(tx).creationFacts(
    orgId,
    planned.map((p) => p.user.username),
  );
  const kept: Planned[] = [];
  for (const p of planned) {
    const key = p.user.username.toLowerCase();
    if (!facts.orgActive)
      results.push(failure(p.row.rowNo, failedPrecondition("COMMAND-QXPGs", "Errors.Org.NotFound")));
    else if (facts.taken.has(key))
      results.push(failure(p.row.rowNo, alreadyExists("V3-DKcYh", "Errors.User.AlreadyExists")));
    else {
      facts.taken.add(key);
      kept.push(p);
    }
  }
  return kept;
}

/** The rows whose invite the caller may send, each with its new invite code and message. */
function invitable(
  deps: CommandDeps,
  job: InviteJob,
  caller: Caller,
  planned: Planned[],
  at: Date,
  results: RowResult[],
): Planned[] {
  const c = deps.config;
  const settings = inviteSettings(job);
  const kept: Planned[] = [];
  for (const p of planned) {
    const { user } = p;
    try {
      const target = { orgId: user.orgId, userId: user.id, email: user.email };
      deps.authz.require(caller, "user.invite.send", target, "AUTH-AWfge");
    } catch (e) {
      results.push(failure(p.row.rowNo, e));
      continue;
    }
    p.code = newCode({
      user,
      kind: "invite",
      message: "InviteUser",
      ttlMs: c.inviteCodeTtl,
      length: c.inviteCodeLength,
      settings,
      at,
      keys: deps.keys,
      deliveryTtlMs: c.deliveryTtl,
      applicationName: c.applicationName,
    });
    kept.push(p);
  }
  return kept;
}

/**
 * The rows whose recipient has a send left this hour (`USHER_THROTTLE_RECIPIENT_PER_HOUR`):
 * one token each, taken in one statement; a user's first invite takes nothing from the
 * per-user burst. A refused row takes nothing and fails as a single creation would (429).
 */
async function withinRecipientCap(
  deps: CommandDeps,
  tx: Queryable,
  planned: Planned[],
  at: Date,
  results: RowResult[],
): Promise<Planned[]> {
  if (!deps.config.throttleEnabled || planned.length === 0) return planned;
  const buckets = planned.map((p) => recipientBucket(deps.config, p.user.email));
  const rule = buckets[0]?.rule ?? { burst: 0, perSecond: 0 };
  const q = throttleQueries(tx);
  const granted = await q.takeEach([...new Set(buckets.map((b) => b.key))], rule, at);
  const refused = buckets.filter((b) => !granted.has(b.key));
  const states = refused.length > 0 ? await q.states(refused.map((b) => b.key)) : new Map();
  const kept: Planned[] = [];
  planned.forEach((p, i) => {
    const bucket = buckets[i];
    if (!bucket || granted.has(bucket.key)) kept.push(p);
    else results.push(failure(p.row.rowNo, throttled(bucket, "recipient", states.get(bucket.key), at)));
  });
  return kept;
}

/** A job's invite settings: its link template and application name; nothing inherited (a new user has no code). */
function inviteSettings(job: InviteJob): KeptCodeSettings {
  return {
    urlTemplate: job.urlTemplate,
    applicationName: job.applicationName,
    authRequestId: "",
    codeReturned: false,
  };
}

/**
 * Writes the planned users: users, their events (`user.human.added`, then
 * `user.human.invite.code.added` when invited), their codes and their messages — four
 * statements for the whole batch.
 */
async function writeUsers(
  deps: CommandDeps,
  tx: Queryable,
  caller: Caller,
  planned: readonly Planned[],
  at: Date,
): Promise<void> {
  const events: FirstEvent[] = [];
  for (const p of planned) {
    const { user, code } = p;
    const base = { orgId: user.orgId, userId: user.id, actor: caller.userId, at };
    events.push({ ...base, sequence: 1, type: "user.human.added", payload: humanAddedPayload(user) });
    if (code)
      events.push({
        ...base,
        sequence: 2,
        type: "user.human.invite.code.added",
        payload: inviteCodeAddedPayload(deps.config.inviteCodeTtl, code.stored),
      });
    user.sequence = code ? 2 : 1;
  }
  const q = newUserQueries(tx);
  await q.insertUsers(
    planned.map((p) => p.user),
    false,
  );
  await q.appendEvents(events);
  const invited = planned.flatMap((p) => (p.code ? [{ ...p, code: p.code }] : []));
  await q.insertCodes(invited.map((p) => ({ orgId: p.user.orgId, userId: p.user.id, code: p.code.stored })));
  await enqueueMessages(
    tx,
    invited.flatMap(({ code: { message: m } }) => (m ? [{ id: m.id, at: m.at, message: m.body }] : [])),
  );
}
