import type { Queryable } from "../db/types.ts";
import type { StoredCode } from "../domain/code-kind.ts";
import { checkUrlTemplate } from "../domain/url-template.ts";
import { hasAuthMethod, type User } from "../domain/user.ts";
import { failedPrecondition, invalidArgument } from "../errors/usher-error.ts";
import { codeQueries } from "../queries/codes.ts";
import { checkCode, issueCode } from "./code-mail.ts";
import { requireCredentialOf } from "./credential-guard.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import { lockHumanWithCode } from "./load-user.ts";
import { writeUserEvents } from "./user-events.ts";
import { mayKnowUser } from "./user-visibility.ts";

export type InviteDelivery =
  | { kind: "send"; urlTemplate?: string | undefined; applicationName?: string | undefined }
  | { kind: "return" };

/**
 * CreateInviteCode (spec §6.7) and ResendInviteCode (§6.8) share one path. Order: URL template
 * → empty id → permission (unless self) → user exists → no auth method yet → a returned code
 * needs every permission of the user (`AUTHZ-Esc4lt`) → (resend) a mailed code exists → new code, settings inherited from the previous invite code.
 */
export async function createInviteCode(
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  delivery: InviteDelivery,
  resend = false,
): Promise<{ details: WriteDetails; code?: string }> {
  if (delivery.kind === "send" && delivery.urlTemplate) checkUrlTemplate(delivery.urlTemplate);
  const id = userId.trim();
  if (!id) throw invalidArgument(resend ? "COMMAND-2n8vs" : "COMMAND-4jio3", "Errors.User.UserIDMissing");
  return deps.db.transaction(async (tx) =>
    issueInvite(tx, deps, actor, id, await lockHumanWithCode(tx, id, "invite"), delivery, resend),
  );
}

/**
 * CreateInviteCode for a user the caller's transaction has just created: it holds the user's
 * row locked and the user has no invite code yet, so the user is not read again (`POST
 * /v1/users` and every row of an invite job).
 */
export async function inviteCreatedUser(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  user: User,
  delivery: InviteDelivery,
): Promise<{ details: WriteDetails; expiresAt: Date; code?: string }> {
  if (delivery.kind === "send" && delivery.urlTemplate) checkUrlTemplate(delivery.urlTemplate);
  return issueInvite(tx, deps, actor, user.id, { user }, delivery, false);
}

/**
 * The invite itself, for a user the caller's transaction has locked and read with its invite
 * code (`lockHumanWithCode`); `found` is undefined when there is no such human user. Its write
 * is the transaction's last statement.
 */
export async function issueInvite(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  id: string,
  found: { user: User; code?: StoredCode | undefined } | undefined,
  delivery: InviteDelivery,
  resend: boolean,
): Promise<{ details: WriteDetails; expiresAt: Date; code?: string }> {
  const user = found?.user;
  const action = delivery.kind === "return" ? "user.invite.return" : "user.invite.send";
  const target = { orgId: user?.orgId ?? "", userId: id, email: user?.email };
  deps.authz.require(actor.caller, action, target, "AUTH-AWfge");
  if (!user) throw failedPrecondition("COMMAND-Wgvn4", "Errors.User.NotFound");
  if (hasAuthMethod(user)) throw failedPrecondition("COMMAND-EF34g", "Errors.User.AlreadyInitialised");
  // A returned invite code sets the first password: the caller obtains the user's credential.
  if (delivery.kind === "return") await requireCredentialOf(tx, deps, actor.caller, user);
  const previous = found.code;
  if (resend && (!previous?.codeHash || previous.codeReturned)) {
    throw failedPrecondition("COMMAND-Wr3gq", "Errors.User.Code.NotFound");
  }
  const send = delivery.kind === "send" ? delivery : undefined;
  const settings = {
    urlTemplate: send?.urlTemplate || previous?.urlTemplate || "",
    applicationName: send?.applicationName || previous?.applicationName || "",
    authRequestId: previous?.authRequestId ?? "",
    codeReturned: delivery.kind === "return",
    first: previous === undefined,
  };
  const at = deps.now();
  const issued = await issueCode(
    tx,
    deps,
    user,
    "invite",
    "InviteUser",
    deps.config.inviteCodeTtl,
    deps.config.inviteCodeLength,
    settings,
  );
  const details = await writeUserEvents(
    tx,
    user,
    actor.caller.userId,
    at,
    [
      {
        type: "user.human.invite.code.added",
        code: issued.write,
        payload: {
          expiry: deps.config.inviteCodeTtl * 1_000_000,
          urlTemplate: settings.urlTemplate,
          codeReturned: settings.codeReturned,
          applicationName: settings.applicationName,
          authRequestID: settings.authRequestId,
        },
      },
    ],
    { last: true },
  );
  const expiresAt = issued.expiresAt;
  return delivery.kind === "return" ? { details, expiresAt, code: issued.code } : { details, expiresAt };
}

/**
 * VerifyInviteCode (§6.9): no permission and no state check. A failed check is recorded (and
 * committed) before the error is returned; success verifies the email. A caller who may not
 * read users wherever the id could be (`mayKnowUser`) hears of a missing user what a wrong
 * code hears (`COMMAND-Wgn4q`), not ZITADEL's `COMMAND-F5g2h`.
 */
export async function verifyInviteCode(
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  code: string,
): Promise<WriteDetails> {
  const id = userId.trim();
  if (!id) throw invalidArgument("COMMAND-Gk3f2", "Errors.User.UserIDMissing");
  const outcome = await deps.db.transaction(async (tx) => {
    const found = await lockHumanWithCode(tx, id, "invite");
    if (!found && !mayKnowUser(deps, actor.caller, undefined, id)) return undefined;
    if (!found) throw failedPrecondition("COMMAND-F5g2h", "Errors.User.NotFound");
    const { user } = found;
    const at = deps.now();
    const result = await checkCode(tx, deps, user, found.code, code);
    if (result !== "ok") {
      await writeUserEvents(tx, user, actor.caller.userId, at, [{ type: "user.human.invite.check.failed" }], {
        last: true,
      });
      return undefined;
    }
    // A verified email ends any pending email verification too.
    await codeQueries(tx).consume(user.orgId, user.id, "email");
    return writeUserEvents(
      tx,
      user,
      actor.caller.userId,
      at,
      [{ type: "user.human.invite.check.succeeded" }, { type: "user.human.email.verified" }],
      { emailVerified: true, last: true },
    );
  });
  if (!outcome) throw invalidArgument("COMMAND-Wgn4q", "Errors.User.Code.Invalid");
  return outcome;
}
