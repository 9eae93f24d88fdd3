import { keepWrites } from "../db/keep-writes.ts";
import type { Queryable } from "../db/types.ts";
import type { StoredCode } from "../domain/code-kind.ts";
import { checkUrlTemplate } from "../domain/url-template.ts";
import { hasAuthMethod, type User } from "../domain/user.ts";
import { failedPrecondition, invalidArgument } from "../errors/usher-error.ts";
import { enqueueMessages } from "../outbox/enqueue.ts";
import { codeQueries } from "../queries/codes.ts";
import { type CodeSettings, checkCode, issueCode } from "./code-mail.ts";
import { requireCredentialOf } from "./credential-guard.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import { lockHumanWithCode } from "./load-user.ts";
import { writeUserEvents } from "./user-events.ts";
import { mayKnowUser } from "./user-visibility.ts";

export type InviteDelivery =
  | { kind: "send"; urlTemplate?: string | undefined; applicationName?: string | undefined }
  | { kind: "return" };

/**
 * CreateInviteCode (spec §6.7), in the caller's transaction. Order, as ZITADEL's: URL template
 * → trimmed empty id (`COMMAND-4jio3`) → permission (unless self) → user exists
 * (`COMMAND-Wgvn4`) → no auth method yet (`COMMAND-EF34g`) → a returned code needs every
 * permission of the user (`AUTHZ-Esc4lt`) → a new code; empty settings are inherited from the
 * previous invite code.
 */
export async function createInviteCode(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  delivery: InviteDelivery,
): Promise<IssuedInvite> {
  if (delivery.kind === "send" && delivery.urlTemplate) checkUrlTemplate(delivery.urlTemplate);
  const id = requireUserId(userId);
  const found = await lockHumanWithCode(tx, id, "invite");
  const user = invitable(deps, actor, id, found, delivery);
  // A returned invite code sets the first password: the caller obtains the user's credential.
  if (delivery.kind === "return") await requireCredentialOf(tx, deps, actor.caller, user);
  const send = delivery.kind === "send" ? delivery : undefined;
  const previous = found?.code;
  return issueInvite(tx, deps, actor, user, {
    urlTemplate: send?.urlTemplate || previous?.urlTemplate || "",
    applicationName: send?.applicationName || previous?.applicationName || "",
    authRequestId: previous?.authRequestId ?? "",
    codeReturned: delivery.kind === "return",
    first: previous === undefined,
  });
}

/**
 * ResendInviteCode (spec §6.8), in the caller's transaction: the same checks and IDs as
 * CreateInviteCode (ZITADEL's create and resend share one path), then a mailed code must
 * exist (`COMMAND-Wr3gq`: none, or the last one was returned); the new code is mailed with
 * every setting of the previous one. Every surface's resend of an invite runs this function:
 * ZITADEL's ResendInviteCode, the tenant API's resend-invite and the hosted page's "send me a
 * new code". Answers with what the previous code's deliveries were.
 */
export async function resendInviteCode(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
): Promise<IssuedInvite & { previous: StoredCode }> {
  const id = requireUserId(userId);
  const found = await lockHumanWithCode(tx, id, "invite");
  const user = invitable(deps, actor, id, found, { kind: "send" });
  const previous = found?.code;
  if (!previous?.codeHash || previous.codeReturned) {
    throw failedPrecondition("COMMAND-Wr3gq", "Errors.User.Code.NotFound");
  }
  const issued = await issueInvite(tx, deps, actor, user, {
    urlTemplate: previous.urlTemplate,
    applicationName: previous.applicationName,
    authRequestId: previous.authRequestId,
    codeReturned: false,
    first: false,
  });
  return { ...issued, previous };
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
): Promise<IssuedInvite> {
  if (delivery.kind === "send" && delivery.urlTemplate) checkUrlTemplate(delivery.urlTemplate);
  invitable(deps, actor, user.id, { user }, delivery);
  if (delivery.kind === "return") await requireCredentialOf(tx, deps, actor.caller, user);
  const send = delivery.kind === "send" ? delivery : undefined;
  return issueInvite(tx, deps, actor, user, {
    urlTemplate: send?.urlTemplate ?? "",
    applicationName: send?.applicationName ?? "",
    authRequestId: "",
    codeReturned: delivery.kind === "return",
    first: true,
  });
}

/** A new invite: its write details, the code's expiry and, when returned, the plain code. */
export interface IssuedInvite {
  details: WriteDetails;
  expiresAt: Date;
  code?: string;
}

function requireUserId(userId: string): string {
  const id = userId.trim();
  if (!id) throw invalidArgument("COMMAND-4jio3", "Errors.User.UserIDMissing");
  return id;
}

/** The checks create and resend share, in ZITADEL's order; answers the user to invite. */
function invitable(
  deps: CommandDeps,
  actor: Actor,
  id: string,
  found: { user: User } | undefined,
  delivery: InviteDelivery,
): User {
  const user = found?.user;
  const action = delivery.kind === "return" ? "user.invite.return" : "user.invite.send";
  const target = { orgId: user?.orgId ?? "", userId: id, email: user?.email };
  deps.authz.require(actor.caller, action, target, "AUTH-AWfge");
  if (!user) throw failedPrecondition("COMMAND-Wgvn4", "Errors.User.NotFound", undefined, "user_not_found");
  if (hasAuthMethod(user)) throw failedPrecondition("COMMAND-EF34g", "Errors.User.AlreadyInitialised");
  return user;
}

/** The three writes of an invite: the code replaced, `invite.code.added` appended, the mail queued. */
async function issueInvite(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  user: User,
  settings: CodeSettings,
): Promise<IssuedInvite> {
  const ttl = deps.config.inviteCodeTtl;
  const issued = await issueCode(
    tx,
    deps,
    user,
    "invite",
    "InviteUser",
    ttl,
    deps.config.inviteCodeLength,
    settings,
  );
  const details = await writeUserEvents(tx, user, actor.caller.userId, deps.now(), [
    {
      type: "user.human.invite.code.added",
      payload: {
        expiry: ttl * 1_000_000,
        urlTemplate: settings.urlTemplate,
        codeReturned: settings.codeReturned,
        applicationName: settings.applicationName,
        authRequestID: settings.authRequestId,
      },
    },
  ]);
  await enqueueMessages(tx, issued.messages);
  const expiresAt = issued.expiresAt;
  return settings.codeReturned ? { details, expiresAt, code: issued.code } : { details, expiresAt };
}

/**
 * VerifyInviteCode (§6.9), in the caller's transaction: no permission and no state check. A
 * failed check is recorded and the refusal keeps it (`keepWrites`: the transaction commits
 * before the error is answered); success verifies the email. A caller who may not read users
 * wherever the id could be (`mayKnowUser`) hears of a missing user what a wrong code hears
 * (`COMMAND-Wgn4q`), not ZITADEL's `COMMAND-F5g2h`.
 */
export async function verifyInviteCode(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  code: string,
): Promise<WriteDetails> {
  const id = userId.trim();
  if (!id) throw invalidArgument("COMMAND-Gk3f2", "Errors.User.UserIDMissing");
  const found = await lockHumanWithCode(tx, id, "invite");
  if (!found && !mayKnowUser(deps, actor.caller, undefined, id)) throw invalidCode();
  if (!found) throw failedPrecondition("COMMAND-F5g2h", "Errors.User.NotFound", undefined, "user_not_found");
  const { user } = found;
  const at = deps.now();
  const result = await checkCode(tx, deps, user, found.code, code);
  if (result !== "ok") {
    await writeUserEvents(tx, user, actor.caller.userId, at, [{ type: "user.human.invite.check.failed" }]);
    throw keepWrites(invalidCode());
  }
  // A verified email ends any pending email verification too.
  await codeQueries(tx).consume(user.orgId, user.id, "email");
  return writeUserEvents(
    tx,
    user,
    actor.caller.userId,
    at,
    [{ type: "user.human.invite.check.succeeded" }, { type: "user.human.email.verified" }],
    { emailVerified: true },
  );
}

const invalidCode = () =>
  invalidArgument("COMMAND-Wgn4q", "Errors.User.Code.Invalid", undefined, "invalid_code");
