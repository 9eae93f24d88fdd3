import type { Action } from "../authz/authorizer.ts";
import { keepWrites } from "../db/keep-writes.ts";
import type { Queryable } from "../db/types.ts";
import { normalizeEmail } from "../domain/email.ts";
import { passwordPolicyOf } from "../domain/password-policy.ts";
import { isSupportedHash } from "../domain/passwords.ts";
import { type ProfileUpdate, profileChange } from "../domain/profile-change.ts";
import { checkUrlTemplate } from "../domain/url-template.ts";
import { type User, UserState } from "../domain/user.ts";
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from "../errors/usher-error.ts";
import { type Enqueued, enqueueMessages } from "../outbox/enqueue.ts";
import type { NewEvent } from "../queries/events.ts";
import { userUpdates } from "../queries/user-updates.ts";
import { requireCredentialOf } from "./credential-guard.ts";
import type { Actor, CommandDeps } from "./deps.ts";
import { changeEmail, type EmailDelivery, emailAction, markEmailVerified } from "./email-change.ts";
import type { CodeResult } from "./email-codes.ts";
import { lockHuman } from "./load-user.ts";
import {
  checkProof,
  codeFailureError,
  type NewPassword,
  type PasswordProof,
  preparePassword,
  storePassword,
} from "./password-change.ts";
import { writeUserEvents } from "./user-events.ts";

/** The parts of UpdateHumanUser; an absent part is left as it is. */
export interface UpdateHumanInput {
  username?: string | undefined;
  profile?: ProfileUpdate | undefined;
  email?: { email: string; delivery: EmailDelivery } | undefined;
  /** `password` undefined: the part was sent without a password or hash. */
  password?: { password: NewPassword | undefined; proof: PasswordProof } | undefined;
}

/**
 * UpdateHumanUser (ZITADEL's `ChangeUserHuman`). Order: input checks (URL template, address,
 * hash format, empty password) → user (NOT_FOUND `COMMAND-ugjs0upun6`) → permission for each
 * part sent → for an email or an unproven password, every permission of the user
 * (`AUTHZ-Esc4lt`) → username, profile, email, password in that order → one transaction of events.
 * Unchanged values write nothing; a failed reset-code check is kept (`keepWrites`) before its error. Runs in the caller's
 * transaction.
 */
export async function updateHumanUser(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  input: UpdateHumanInput,
): Promise<CodeResult> {
  const delivery = input.email?.delivery;
  if (delivery?.kind === "send" && delivery.urlTemplate) checkUrlTemplate(delivery.urlTemplate);
  const address = input.email ? normalizeEmail(input.email.email) : undefined;
  const pw = input.password;
  if (pw?.password && "hash" in pw.password && !isSupportedHash(pw.password.hash))
    throw invalidArgument("USER-oz74onzvqr", "Errors.User.Password.NotSupported");
  if (pw && !pw.password) throw invalidArgument("COMMAND-3klek4sbns", "Errors.User.Password.Empty");
  const prepared = pw?.password
    ? await preparePassword(pw.password, passwordPolicyOf(deps.config))
    : undefined;

  const user = await lockHuman(tx, userId);
  if (!user) throw notFound("COMMAND-ugjs0upun6", "Errors.User.NotFound");
  const target = { orgId: user.orgId, userId: user.id, email: user.email };
  for (const action of actionsFor(actor, user, input))
    deps.authz.require(actor.caller, action, target, "AUTH-AWfge");
  // A new address (where reset codes go) or a password without proof: the user's credential.
  if (input.email || pw?.proof.kind === "none") await requireCredentialOf(tx, deps, actor.caller, user);

  const updates = userUpdates(tx);
  const username =
    input.username !== undefined && input.username !== user.username ? input.username : undefined;
  if (username !== undefined && (await updates.usernameTakenByOther(username, user.id)))
    throw alreadyExists("V3-DKcYh", "Errors.User.AlreadyExists");
  const profile = input.profile ? profileChange(user, input.profile) : undefined;
  if (pw && user.state === UserState.Initial)
    throw failedPrecondition("COMMAND-M9dse", "Errors.User.NotInitialised");
  const failure = pw ? await checkProof(tx, deps, user, pw.proof) : undefined;
  if (failure) throw keepWrites(codeFailureError(failure));
  if (prepared?.policyError) throw prepared.policyError;

  // Every check passed: write the parts in ZITADEL's order.
  const at = deps.now();
  const events: NewEvent[] = [];
  let code: string | undefined;
  const messages: Enqueued[] = [];
  if (username !== undefined) {
    await updates.apply(user.orgId, user.id, { username });
    events.push({
      type: "user.username.changed",
      payload: { userName: username, oldUserName: user.username },
    });
  }
  if (profile?.event) {
    await updates.apply(user.orgId, user.id, profile.patch);
    events.push(profile.event);
  }
  if (address !== undefined && delivery) {
    if (address !== user.email) {
      const change = await changeEmail(tx, deps, user, address, delivery);
      await updates.apply(user.orgId, user.id, change.patch);
      events.push(...change.events);
      messages.push(...change.messages);
      code = change.code;
    } else if (delivery.kind === "verified" && !user.emailVerified) {
      events.push(await markEmailVerified(tx, user));
      await updates.apply(user.orgId, user.id, { emailVerified: true });
    }
  }
  if (prepared) events.push(await storePassword(tx, user, prepared, at));
  if (events.length === 0) {
    return { details: { sequence: user.sequence, changeDate: user.updatedAt, resourceOwner: user.orgId } };
  }
  const details = await writeUserEvents(tx, user, actor.caller.userId, at, events);
  await enqueueMessages(tx, messages);
  return code === undefined ? { details } : { details, code };
}

/**
 * The permissions the sent parts need. Username and profile: `user.write`. Email: as SetEmail.
 * Password: `user.password.set` without a proof; with one, nothing more for the user itself,
 * `user.write` for anyone else (ZITADEL checks `user.write` unless the caller is the user).
 */
function actionsFor(actor: Actor, user: User, input: UpdateHumanInput): Set<Action> {
  const actions = new Set<Action>();
  if (input.username !== undefined || input.profile) actions.add("user.write");
  if (input.email) actions.add(emailAction(input.email.delivery));
  if (input.password) {
    if (input.password.proof.kind === "none") actions.add("user.password.set");
    else if (actor.caller.userId !== user.id) actions.add("user.write");
  }
  return actions;
}
