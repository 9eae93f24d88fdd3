import { keepWrites } from "../db/keep-writes.ts";
import type { Queryable } from "../db/types.ts";
import type { StoredCode } from "../domain/code-kind.ts";
import { normalizeEmail } from "../domain/email.ts";
import { checkUrlTemplate } from "../domain/url-template.ts";
import { type User, UserState } from "../domain/user.ts";
import { failedPrecondition, invalidArgument, notFound } from "../errors/usher-error.ts";
import { enqueueMessages } from "../outbox/enqueue.ts";
import { userUpdates } from "../queries/user-updates.ts";
import { checkCode } from "./code-mail.ts";
import { requireCredentialOf } from "./credential-guard.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import {
  addEmailCode,
  changeEmail,
  type EmailDelivery,
  emailAction,
  markEmailVerified,
} from "./email-change.ts";
import { lockHumanWithCode } from "./load-user.ts";
import { writeUserEvents } from "./user-events.ts";
import { mayKnowUser } from "./user-visibility.ts";

/** A write that may hand a code back (`return_code`). */
export interface CodeResult {
  details: WriteDetails;
  code?: string;
}

/**
 * The user an email call acts on (spec §6.4–6.6): unknown, deleted or machine → NOT_FOUND
 * `COMMAND-ieJ2e`; INITIAL → FAILED_PRECONDITION `COMMAND-uz0Uu`. Any other state is fine.
 */
async function emailUser(tx: Queryable, userId: string): Promise<{ user: User; code?: StoredCode }> {
  return emailUserOf(await lockHumanWithCode(tx, userId, "email"));
}

function emailUserOf(found: { user: User; code?: StoredCode } | undefined): {
  user: User;
  code?: StoredCode;
} {
  if (!found) throw notFound("COMMAND-ieJ2e", "Errors.User.Email.NotFound", undefined, "user_not_found");
  if (found.user.state === UserState.Initial)
    throw failedPrecondition("COMMAND-uz0Uu", "Errors.User.NotInitialised");
  return found;
}

/**
 * SetEmail (§6.4). Order: URL template → user → permission → every permission of the user
 * (`AUTHZ-Esc4lt`) → address format → unchanged
 * address (`COMMAND-Uch5e`) → `email.changed` + `email.verified` or `email.code.added`.
 */
export async function setEmail(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  email: string,
  delivery: EmailDelivery,
): Promise<CodeResult> {
  if (delivery.kind === "send" && delivery.urlTemplate) checkUrlTemplate(delivery.urlTemplate);
  const { user } = await emailUser(tx, userId);
  const target = { orgId: user.orgId, userId: user.id, email: email.trim() };
  deps.authz.require(actor.caller, emailAction(delivery), target, "AUTH-AWfge");
  // The address is where reset codes go: changing it obtains the user's credential.
  await requireCredentialOf(tx, deps, actor.caller, user);
  const address = normalizeEmail(email);
  if (address === user.email) throw failedPrecondition("COMMAND-Uch5e", "Errors.User.Email.NotChanged");
  const change = await changeEmail(tx, deps, user, address, delivery);
  await userUpdates(tx).apply(user.orgId, user.id, change.patch);
  const details = await writeUserEvents(tx, user, actor.caller.userId, deps.now(), change.events);
  await enqueueMessages(tx, change.messages);
  return change.code === undefined ? { details } : { details, code: change.code };
}

/**
 * SendEmailCode (§6.5), in the caller's transaction: a new code for the current address,
 * replacing the previous one, even for a verified address. A returned code needs every
 * permission of the user (`AUTHZ-Esc4lt`).
 */
export async function sendEmailCode(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  delivery: CodeDelivery,
): Promise<CodeResult> {
  if (delivery.kind === "send" && delivery.urlTemplate) checkUrlTemplate(delivery.urlTemplate);
  const found = await emailUser(tx, userId);
  await mayIssueEmailCode(tx, deps, actor, found.user, delivery);
  return issueEmailCode(tx, deps, actor, found.user, delivery);
}

/**
 * ResendEmailCode (§6.5), in the caller's transaction: as SendEmailCode, but only while a code
 * exists (`EMAIL-5w5ilin4yt`), i.e. not after a verification or an address change. The hosted
 * page's "send me a new code" runs it too.
 */
export async function resendEmailCode(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  delivery: CodeDelivery,
): Promise<CodeResult> {
  if (delivery.kind === "send" && delivery.urlTemplate) checkUrlTemplate(delivery.urlTemplate);
  const { user, code } = await emailUser(tx, userId);
  await mayIssueEmailCode(tx, deps, actor, user, delivery);
  if (!code?.codeHash) throw failedPrecondition("EMAIL-5w5ilin4yt", "Errors.User.Code.Empty");
  return issueEmailCode(tx, deps, actor, user, delivery);
}

type CodeDelivery = Exclude<EmailDelivery, { kind: "verified" }>;

async function mayIssueEmailCode(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  user: User,
  delivery: CodeDelivery,
): Promise<void> {
  const target = { orgId: user.orgId, userId: user.id, email: user.email };
  deps.authz.require(actor.caller, emailAction(delivery), target, "AUTH-AWfge");
  if (delivery.kind === "return") await requireCredentialOf(tx, deps, actor.caller, user);
}

/** The three writes: the code replaced (`addEmailCode`), `email.code.added` appended, the mail queued. */
async function issueEmailCode(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  user: User,
  delivery: CodeDelivery,
): Promise<CodeResult> {
  const added = await addEmailCode(tx, deps, user, delivery);
  const details = await writeUserEvents(tx, user, actor.caller.userId, deps.now(), [added.event]);
  await enqueueMessages(tx, added.messages);
  return added.code === undefined ? { details } : { details, code: added.code };
}

/**
 * VerifyEmail (§6.6), in the caller's transaction: no permission check, the code is the proof.
 * A wrong, expired or missing code writes `email.verification.failed` (kept: `keepWrites`, and
 * counted against the attempt limit) before INVALID_ARGUMENT `COMMAND-eis9R` is returned. A caller who may not read the user
 * (`mayKnowUser`) gets that same answer, with nothing written, where ZITADEL says the user is
 * missing (`COMMAND-ieJ2e`) or INITIAL (`COMMAND-uz0Uu`).
 */
export async function verifyEmail(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  code: string,
): Promise<WriteDetails> {
  const found = await lockHumanWithCode(tx, userId, "email");
  const hidden = !found || found.user.state === UserState.Initial;
  if (hidden && !mayKnowUser(deps, actor.caller, found?.user, userId)) {
    if (!code) throw emptyCode();
    throw invalidCode();
  }
  const { user, code: stored } = emailUserOf(found);
  if (!code) throw emptyCode();
  const at = deps.now();
  if ((await checkCode(tx, deps, user, stored, code)) !== "ok") {
    await writeUserEvents(tx, user, actor.caller.userId, at, [
      { type: "user.human.email.verification.failed" },
    ]);
    throw keepWrites(invalidCode());
  }
  const verified = await markEmailVerified(tx, user);
  return writeUserEvents(tx, user, actor.caller.userId, at, [verified], { emailVerified: true });
}

const invalidCode = () =>
  invalidArgument("COMMAND-eis9R", "Errors.User.Code.Invalid", undefined, "invalid_code");
const emptyCode = () => invalidArgument("COMMAND-Fia4a", "Errors.User.Code.Empty", undefined, "invalid_code");
