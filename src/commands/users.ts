import type { Queryable } from "../db/types.ts";
import { normalizeEmail } from "../domain/email.ts";
import { humanAddedPayload, newHumanUser } from "../domain/human-user.ts";
import { uuidv7 } from "../domain/ids.ts";
import { checkPasswordPolicy, passwordPolicyOf } from "../domain/password-policy.ts";
import { hashPassword, isSupportedHash } from "../domain/passwords.ts";
import { checkUrlTemplate } from "../domain/url-template.ts";
import type { User } from "../domain/user.ts";
import { alreadyExists, failedPrecondition, invalidArgument } from "../errors/usher-error.ts";
import { type Enqueued, enqueueMessages } from "../outbox/enqueue.ts";
import type { NewEvent } from "../queries/events.ts";
import { type UsernameScope, userQueries } from "../queries/users.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import { addEmailCode } from "./email-change.ts";
import { writeUserEvents } from "./user-events.ts";

export type EmailVerification =
  | { kind: "default" }
  | { kind: "send"; urlTemplate?: string | undefined }
  | { kind: "return" }
  | { kind: "verified"; verified: boolean };

export interface AddHumanInput {
  orgId: string;
  /** Where the username must be unique; ZITADEL's instance-wide rule unless said otherwise. */
  usernameScope?: UsernameScope | undefined;
  userId?: string | undefined;
  username?: string | undefined;
  givenName: string;
  familyName: string;
  nickName?: string | undefined;
  displayName?: string | undefined;
  preferredLanguage?: string | undefined;
  gender?: number | undefined;
  email: string;
  verification: EmailVerification;
  password?:
    | { plain: string; changeRequired: boolean }
    | { hash: string; changeRequired: boolean }
    | undefined;
}

/**
 * v2 AddHumanUser (spec §6.2). The user is ACTIVE from the start; the email is verified, gets
 * a code (mailed or returned), or neither. Check order as ZITADEL's.
 */
export async function addHumanUser(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  input: AddHumanInput,
): Promise<{ userId: string; details: WriteDetails; emailCode?: string; user: User }> {
  if (input.verification.kind === "send" && input.verification.urlTemplate)
    checkUrlTemplate(input.verification.urlTemplate);
  const email = normalizeEmail(input.email);
  const givenName = input.givenName.trim();
  const familyName = input.familyName.trim();
  if (!givenName) throw invalidArgument("USER-UCej2", "Errors.User.Profile.FirstNameEmpty");
  if (!familyName) throw invalidArgument("USER-4hB7d", "Errors.User.Profile.LastNameEmpty");
  const pw = input.password;
  if (pw && "hash" in pw && !isSupportedHash(pw.hash))
    throw invalidArgument("COMMAND-JDk4t", "Errors.User.Password.Invalid");
  deps.authz.require(actor.caller, "user.write", { orgId: input.orgId, email }, "AUTH-AWfge");
  const userId = input.userId?.trim() || uuidv7();
  const username = input.username?.trim() || email;
  if (pw && "plain" in pw) checkPasswordPolicy(passwordPolicyOf(deps.config), pw.plain);
  // Hashed before the first statement: it is the slow part and needs no lock.
  const passwordHash = pw ? ("plain" in pw ? await hashPassword(pw.plain) : pw.hash) : null;

  const users = userQueries(tx);
  const check = await users.creationCheck(input.orgId, userId, username, input.usernameScope);
  if (!check.orgActive) throw failedPrecondition("COMMAND-QXPGs", "Errors.Org.NotFound");
  if (check.idTaken) throw failedPrecondition("COMMAND-7yiox1isql", "Errors.User.AlreadyExisting");
  if (check.usernameTaken) throw alreadyExists("V3-DKcYh", "Errors.User.AlreadyExists");
  const at = deps.now();
  const v = input.verification;
  const user = newHumanUser({
    orgId: input.orgId,
    id: userId,
    username,
    givenName,
    familyName,
    nickName: input.nickName,
    displayName: input.displayName,
    preferredLanguage: input.preferredLanguage,
    gender: input.gender,
    email,
    emailVerified: v.kind === "verified" && v.verified,
    passwordHash,
    passwordChangeRequired: pw?.changeRequired,
    // A deleted user's id may be taken again (as in ZITADEL); its events stay, so its stream continues.
    sequence: check.lastSequence,
    at,
  });
  const sendsCode = !user.emailVerified && v.kind !== "verified";
  await users.insert(user, input.usernameScope);
  const events: NewEvent[] = [{ type: "user.human.added", payload: humanAddedPayload(user) }];
  let emailCode: string | undefined;
  const messages: Enqueued[] = [];
  if (user.emailVerified) events.push({ type: "user.human.email.verified" });
  if (sendsCode) {
    const added = await addEmailCode(
      tx,
      deps,
      user,
      v.kind === "return"
        ? { kind: "return" }
        : { kind: "send", urlTemplate: v.kind === "send" ? v.urlTemplate : "" },
    );
    emailCode = added.code;
    messages.push(...added.messages);
    events.push(added.event);
  }
  const details = await writeUserEvents(tx, user, actor.caller.userId, at, events);
  await enqueueMessages(tx, messages);
  const created = { ...user, sequence: details.sequence };
  return emailCode === undefined
    ? { userId, details, user: created }
    : { userId, details, emailCode, user: created };
}
