import { keepWrites } from "../db/keep-writes.ts";
import type { Queryable } from "../db/types.ts";
import { passwordPolicyOf } from "../domain/password-policy.ts";
import { checkUrlTemplate } from "../domain/url-template.ts";
import { UserState } from "../domain/user.ts";
import { failedPrecondition, notFound, UsherError } from "../errors/usher-error.ts";
import { enqueueMessages } from "../outbox/enqueue.ts";
import { issueCode } from "./code-mail.ts";
import { requireCredentialOf } from "./credential-guard.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import type { CodeResult } from "./email-codes.ts";
import { lockHuman } from "./load-user.ts";
import {
  type CodeFailure,
  checkProof,
  codeFailureError,
  type NewPassword,
  type PasswordProof,
  type PreparedPassword,
  preparePassword,
  storePassword,
} from "./password-change.ts";
import { writeUserEvents } from "./user-events.ts";
import { mayKnowUser } from "./user-visibility.ts";

export type ResetDelivery = { kind: "send"; urlTemplate?: string | undefined } | { kind: "return" };

/**
 * PasswordReset (spec §6.10). Order: URL template → user (NOT_FOUND `COMMAND-SAF4f`) → INITIAL
 * (`COMMAND-Sfe4g`) → permission → `password.code.added`, mailed as PasswordReset or returned.
 * Mailing the code is allowed to the user itself (`user.password.reset.send`); returning it
 * hands out the power to set the password, so it needs `user.password.reset.return` and every
 * permission the user holds (`AUTHZ-Esc4lt`).
 */
export async function passwordReset(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  delivery: ResetDelivery,
): Promise<CodeResult> {
  if (delivery.kind === "send" && delivery.urlTemplate) checkUrlTemplate(delivery.urlTemplate);
  const user = await lockHuman(tx, userId);
  if (!user) throw notFound("COMMAND-SAF4f", "Errors.User.NotFound", undefined, "user_not_found");
  if (user.state === UserState.Initial)
    throw failedPrecondition("COMMAND-Sfe4g", "Errors.User.NotInitialised");
  const action = delivery.kind === "return" ? "user.password.reset.return" : "user.password.reset.send";
  deps.authz.require(
    actor.caller,
    action,
    { orgId: user.orgId, userId: user.id, email: user.email },
    "AUTH-AWfge",
  );
  // A returned code sets the password: the caller obtains the user's credential.
  if (delivery.kind === "return") await requireCredentialOf(tx, deps, actor.caller, user);
  const urlTemplate = delivery.kind === "send" ? (delivery.urlTemplate ?? "") : "";
  const codeReturned = delivery.kind === "return";
  // Usher has no separate password-code lifetime yet; ZITADEL's default equals the email code's (1 h).
  const ttl = deps.config.passwordCodeTtl;
  const issued = await issueCode(tx, deps, user, "password", "PasswordReset", ttl, 6, {
    urlTemplate,
    applicationName: "",
    authRequestId: "",
    codeReturned,
  });
  const details = await writeUserEvents(tx, user, actor.caller.userId, deps.now(), [
    {
      type: "user.human.password.code.added",
      payload: {
        expiry: ttl * 1_000_000,
        notificationType: 0,
        url_template: urlTemplate,
        code_returned: codeReturned,
      },
    },
  ]);
  await enqueueMessages(tx, issued.messages);
  return codeReturned ? { details, code: issued.code } : { details };
}

/**
 * SetPassword (spec §6.11). Order: user (FAILED_PRECONDITION `COMMAND-G8dh3`) → INITIAL
 * (`COMMAND-M9dse`) → the proof: a reset code (`COMMAND-2M9fs` none, `CODE-QvUQ4P` expired,
 * `CODE-woT0xc` wrong), the current password, or else `user.password.set` and every permission
 * the user holds (`AUTHZ-Esc4lt`) → complexity
 * (`DOMAIN-…`) → `password.changed {changeRequired}`. A failed code check is kept (`keepWrites`).
 */
export async function setPassword(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  password: NewPassword,
  proof: PasswordProof,
): Promise<WriteDetails> {
  // Hashed before the first statement: the transaction takes a connection only then.
  const prepared = await preparePassword(password, passwordPolicyOf(deps.config));
  return setPreparedPassword(tx, deps, actor, userId, prepared, proof);
}

/**
 * SetPassword with the password already prepared (checked and hashed outside the lock); the
 * hosted reset page calls it too, naming the organization of its link (`orgId`: a user of
 * another organization is a missing one, as in ZITADEL's write model by resource owner).
 *
 * With a reset code as proof, a caller who may not read the user (`mayKnowUser`) gets for a
 * missing or INITIAL user, or one without a pending code, what a wrong code gets
 * (`CODE-woT0xc`), with nothing written; callers who may read it keep ZITADEL's errors.
 */
export async function setPreparedPassword(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  prepared: PreparedPassword,
  proof: PasswordProof,
  orgId?: string,
): Promise<WriteDetails> {
  const found = await lockHuman(tx, userId);
  const user = orgId === undefined || found?.orgId === orgId ? found : undefined;
  const known = proof.kind !== "code" || mayKnowUser(deps, actor.caller, user, userId);
  /** ZITADEL's error for a caller who may know the user, else the wrong code's. */
  const refuse = (e: UsherError): never => {
    throw known ? e : codeFailureError("wrong");
  };
  if (!user)
    return refuse(
      failedPrecondition("COMMAND-G8dh3", "Errors.User.Password.NotFound", undefined, "user_not_found"),
    );
  if (user.state === UserState.Initial)
    return refuse(failedPrecondition("COMMAND-M9dse", "Errors.User.NotInitialised"));
  if (proof.kind === "none") {
    const target = { orgId: user.orgId, userId: user.id, email: user.email };
    deps.authz.require(actor.caller, "user.password.set", target, "AUTH-AWfge");
    await requireCredentialOf(tx, deps, actor.caller, user);
  }
  let failure: CodeFailure | undefined;
  try {
    failure = await checkProof(tx, deps, user, proof);
  } catch (e) {
    // No pending code (`COMMAND-2M9fs`) would tell a stranger that the user exists.
    if (e instanceof UsherError && e.reason === "no_code") return refuse(e);
    throw e;
  }
  // A failed code check counts against the code: it is kept.
  if (failure) throw keepWrites(codeFailureError(failure));
  const at = deps.now();
  const event = await storePassword(tx, user, prepared, at);
  return writeUserEvents(tx, user, actor.caller.userId, at, [event]);
}
