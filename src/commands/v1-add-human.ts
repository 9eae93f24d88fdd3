import type { Queryable } from "../db/types.ts";
import { normalizeEmail } from "../domain/email.ts";
import { type PasswordPolicy, passwordPolicyOf } from "../domain/password-policy.ts";
import { invalidArgument } from "../errors/usher-error.ts";
import { enqueueMessages } from "../outbox/enqueue.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import { addInitCode } from "./init-codes.ts";
import { lockHuman } from "./load-user.ts";
import { type NewPassword, preparePassword } from "./password-change.ts";
import { writeUserEvents } from "./user-events.ts";
import { addHumanUser } from "./users.ts";

/** A human as v1 AddHumanUser and ImportHumanUser describe it, in the context organization. */
export interface V1HumanInput {
  orgId: string;
  username: string;
  firstName: string;
  lastName: string;
  nickName: string;
  displayName: string;
  preferredLanguage: string;
  gender: number;
  email: string;
  emailVerified: boolean;
  password?: NewPassword | undefined;
}

/** Which v1 call creates the user: their input checks differ in order and ids. */
export type V1Creation = "add" | "import";

/**
 * v1 AddHumanUser (spec §5.1) and ImportHumanUser (§5.2). The checks run in ZITADEL's order —
 * add: email → username (`V2-zzad3`) → names (`USER-UCej2`, `USER-4hB7d`); import: username
 * (`COMMAND-00p2b`) → names → email — then password complexity (`DOMAIN-…`), then v2's
 * creation (hash format, organization, unique username `V3-DKcYh`). The user gets
 * `user.human.added` (+ `email.verified`) and, when the email is unverified or there is no
 * password, an init code: it is INITIAL and the InitCode mail is queued. All in the caller's transaction.
 */
export async function addHumanV1(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  input: V1HumanInput,
  creation: V1Creation,
): Promise<{ userId: string; details: WriteDetails }> {
  const username = input.username.trim();
  if (creation === "add") normalizeEmail(input.email);
  if (!username)
    throw creation === "add"
      ? invalidArgument("V2-zzad3", "Errors.Invalid.Argument")
      : invalidArgument("COMMAND-00p2b", "Errors.User.Username.Empty");
  if (!input.firstName.trim()) throw invalidArgument("USER-UCej2", "Errors.User.Profile.FirstNameEmpty");
  if (!input.lastName.trim()) throw invalidArgument("USER-4hB7d", "Errors.User.Profile.LastNameEmpty");
  if (creation === "import") normalizeEmail(input.email);
  // Hashed before the transaction (argon2id is the slow part); an imported hash is kept as
  // given and its format checked by addHumanUser.
  const password = input.password && (await preparedPassword(input.password, passwordPolicyOf(deps.config)));
  const created = await addHumanUser(tx, deps, actor, {
    orgId: input.orgId,
    username,
    givenName: input.firstName,
    familyName: input.lastName,
    nickName: input.nickName,
    displayName: input.displayName,
    preferredLanguage: input.preferredLanguage,
    gender: input.gender,
    email: input.email,
    verification: { kind: "verified", verified: input.emailVerified },
    password,
  });
  if (input.emailVerified && input.password) return created;
  const user = await lockHuman(tx, created.userId);
  if (!user) throw new Error(`user ${created.userId} vanished during its creation`);
  const init = await addInitCode(tx, deps, user, "");
  const details = await writeUserEvents(tx, user, actor.caller.userId, deps.now(), [init.event]);
  await enqueueMessages(tx, init.messages);
  return { userId: created.userId, details };
}

/** A plain password checked for complexity and hashed; an imported hash as given. */
async function preparedPassword(pw: NewPassword, policy: PasswordPolicy): Promise<NewPassword> {
  if ("hash" in pw) return pw;
  const prepared = await preparePassword(pw, policy);
  if (prepared.policyError) throw prepared.policyError;
  return { hash: prepared.hash ?? "", changeRequired: prepared.changeRequired };
}
