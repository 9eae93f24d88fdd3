import type { Queryable } from "../db/types.ts";
import type { StoredCode } from "../domain/code-kind.ts";
import { normalizeEmail } from "../domain/email.ts";
import { checkUrlTemplate } from "../domain/url-template.ts";
import { type User, UserState } from "../domain/user.ts";
import { failedPrecondition, invalidArgument, notFound } from "../errors/usher-error.ts";
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
  if (!found) throw notFound("COMMAND-ieJ2e", "Errors.User.Email.NotFound");
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
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  email: string,
  delivery: EmailDelivery,
): Promise<CodeResult> {
  if (delivery.kind === "send" && delivery.urlTemplate) checkUrlTemplate(delivery.urlTemplate);
  return deps.db.transaction(async (tx) => {
    const { user } = await emailUser(tx, userId);
    const target = { orgId: user.orgId, userId: user.id, email: email.trim() };
    deps.authz.require(actor.caller, emailAction(delivery), target, "AUTH-AWfge");
    // The address is where reset codes go: changing it obtains the user's credential.
    await requireCredentialOf(tx, deps, actor.caller, user);
    const address = normalizeEmail(email);
    if (address === user.email) throw failedPrecondition("COMMAND-Uch5e", "Errors.User.Email.NotChanged");
    const change = await changeEmail(tx, deps, user, address, delivery);
    await userUpdates(tx).apply(user.orgId, user.id, change.patch);
    const details = await writeUserEvents(tx, user, actor.caller.userId, deps.now(), change.events, {
      last: true,
    });
    return change.code === undefined ? { details } : { details, code: change.code };
  });
}

/**
 * SendEmailCode and ResendEmailCode (§6.5): a new code for the current address, replacing
 * the previous one. Send always issues one, even for a verified address; resend only when a
 * code exists (`EMAIL-5w5ilin4yt`), i.e. not after a verification or an address change. A
 * returned code needs every permission of the user (`AUTHZ-Esc4lt`).
 */
export async function sendEmailCode(
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  delivery: Exclude<EmailDelivery, { kind: "verified" }>,
  resend: boolean,
): Promise<CodeResult> {
  if (delivery.kind === "send" && delivery.urlTemplate) checkUrlTemplate(delivery.urlTemplate);
  return deps.db.transaction(async (tx) => {
    const { user, code } = await emailUser(tx, userId);
    const target = { orgId: user.orgId, userId: user.id, email: user.email };
    deps.authz.require(actor.caller, emailAction(delivery), target, "AUTH-AWfge");
    if (delivery.kind === "return") await requireCredentialOf(tx, deps, actor.caller, user);
    if (resend && !code?.codeHash) {
      throw failedPrecondition("EMAIL-5w5ilin4yt", "Errors.User.Code.Empty");
    }
    const added = await addEmailCode(tx, deps, user, delivery);
    const details = await writeUserEvents(tx, user, actor.caller.userId, deps.now(), [added.event], {
      last: true,
    });
    return added.code === undefined ? { details } : { details, code: added.code };
  });
}

/**
 * VerifyEmail (§6.6): no permission check, the code is the proof. A wrong, expired or missing
 * code writes `email.verification.failed` (committed, and counted against the attempt limit)
 * before INVALID_ARGUMENT `COMMAND-eis9R` is returned. A caller who may not read the user
 * (`mayKnowUser`) gets that same answer, with nothing written, where ZITADEL says the user is
 * missing (`COMMAND-ieJ2e`) or INITIAL (`COMMAND-uz0Uu`).
 */
export async function verifyEmail(
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  code: string,
): Promise<WriteDetails> {
  const outcome = await deps.db.transaction(async (tx) => {
    const found = await lockHumanWithCode(tx, userId, "email");
    const hidden = !found || found.user.state === UserState.Initial;
    if (hidden && !mayKnowUser(deps, actor.caller, found?.user, userId)) {
      if (!code) throw emptyCode();
      return undefined;
    }
    const { user, code: stored } = emailUserOf(found);
    if (!code) throw emptyCode();
    const at = deps.now();
    if ((await checkCode(tx, deps, user, stored, code)) !== "ok") {
      await writeUserEvents(
        tx,
        user,
        actor.caller.userId,
        at,
        [{ type: "user.human.email.verification.failed" }],
        { last: true },
      );
      return undefined;
    }
    const verified = await markEmailVerified(tx, user);
    return writeUserEvents(tx, user, actor.caller.userId, at, [verified], {
      emailVerified: true,
      last: true,
    });
  });
  if (!outcome) throw invalidArgument("COMMAND-eis9R", "Errors.User.Code.Invalid");
  return outcome;
}

const emptyCode = () => invalidArgument("COMMAND-Fia4a", "Errors.User.Code.Empty");
