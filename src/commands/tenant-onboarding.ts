import type { Caller } from "../authz/caller.ts";
import type { Queryable } from "../db/types.ts";
import { UserState } from "../domain/user.ts";
import { codeQueries } from "../queries/codes.ts";
import type { NewEvent } from "../queries/events.ts";
import { userUpdates } from "../queries/user-updates.ts";
import { checkCode } from "./code-mail.ts";
import type { CommandDeps } from "./deps.ts";
import { correctAddress } from "./email-change.ts";
import { createInviteCode, inviteCreatedUser, resendInviteCode } from "./invite-codes.ts";
import { lockHuman, lockHumanWithCode } from "./load-user.ts";
import { type PreparedPassword, storePassword } from "./password-change.ts";
import { writeUserEvents } from "./user-events.ts";
import { addHumanUser } from "./users.ts";

/** The codes an end user may present, in the order they are tried. */
const INITIAL_KINDS = ["init", "invite", "email"] as const;
const ACTIVE_KINDS = ["invite", "email"] as const;
const CHECK_FAILED = {
  init: "user.human.initialization.check.failed",
  invite: "user.human.invite.check.failed",
  email: "user.human.email.verification.failed",
} as const;

/** Why a tenant API call on an existing user cannot go on. */
export type Refusal = "not_found" | "already_verified";

/** The invite as a resend left it, at its commit: the new code's expiry, its message queued. */
export interface ResentInvite {
  expiresAt: Date;
  /** Invites delivered before this one, and when the last of them was. */
  sendCount: number;
  lastSentAt: Date | null;
}

/** A person to create through the tenant API (one `POST /v1/users`, or one row of an invite job). */
export interface NewTenantUser {
  email: string;
  /**
   * The display name; given and family name are taken from it unless given. Default: given and
   * family name, else the address's local part.
   */
  name?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  /** Unique within the tenant; the address by default. */
  username?: string | undefined;
  locale?: string | undefined;
  sendInvite: boolean;
  urlTemplate?: string | undefined;
  applicationName?: string | undefined;
}

/**
 * `POST /v1/users` and each row of an invite job: creates the user and, unless told not to, its
 * invite — in one transaction, so a refused invite (e.g. throttled) leaves no half-made user
 * behind: it runs in the caller's transaction (an invite job applies a batch in one).
 */
export async function createAndInvite(
  tx: Queryable,
  deps: CommandDeps,
  caller: Caller,
  orgId: string,
  input: NewTenantUser,
): Promise<string> {
  const name =
    input.name?.trim() ||
    [input.givenName?.trim(), input.familyName?.trim()].filter(Boolean).join(" ") ||
    input.email.split("@")[0] ||
    input.email;
  const [given, ...rest] = name.split(/\s+/);
  const givenName = input.givenName?.trim() || given || input.email;
  const familyName = input.familyName?.trim() || rest.join(" ") || givenName;
  const actor = { caller, orgId };
  const { userId, user } = await addHumanUser(tx, deps, actor, {
    orgId,
    usernameScope: "organization",
    username: input.username,
    givenName,
    familyName,
    displayName: name,
    preferredLanguage: input.locale,
    email: input.email,
    verification: { kind: "verified", verified: false },
  });
  if (input.sendInvite)
    await inviteCreatedUser(tx, deps, actor, user, {
      kind: "send",
      urlTemplate: input.urlTemplate,
      applicationName: input.applicationName,
    });
  return userId;
}

/**
 * `POST /v1/users/{id}/resend-invite`, in the caller's transaction: the tenant API's policy
 * around the one resend (`resendInviteCode`, the function ZITADEL's ResendInviteCode and the
 * hosted page run). Users of another tenant are not found and verified addresses refused
 * (`already_verified`), both answered, not thrown. `email` first corrects the address — only
 * by a caller with every permission of the user (`AUTHZ-Esc4lt`) — through the email change's
 * `correctAddress`, which voids the old invite. A user without a mailed invite (none yet, one
 * returned to an app, or one the correction voided) is invited afresh (`createInviteCode`,
 * inheriting the old invite's settings). Answers the new code's expiry and what the previous
 * invite's deliveries were.
 */
export async function resendInvite(
  tx: Queryable,
  deps: CommandDeps,
  caller: Caller,
  orgId: string,
  userId: string,
  email: string | undefined,
): Promise<Refusal | ResentInvite> {
  const found = await lockHumanWithCode(tx, userId, "invite");
  const user = found?.user;
  if (!found || !user || user.orgId !== orgId) return "not_found";
  const corrects = email !== undefined && email !== user.email;
  if (user.emailVerified && !corrects) return "already_verified";
  const actor = { caller, orgId };
  if (corrects) {
    deps.authz.require(caller, "user.write", { orgId, userId, email: user.email }, "AUTH-AWfge");
    const corrected = await correctAddress(tx, deps, caller, user, email);
    await writeUserEvents(tx, user, caller.userId, deps.now(), [corrected.event]);
  }
  const previous = found.code;
  const mailed = !corrects && Boolean(previous?.codeHash) && !previous?.codeReturned;
  const issued = mailed
    ? await resendInviteCode(tx, deps, actor, userId)
    : await createInviteCode(tx, deps, actor, userId, { kind: "send" });
  return {
    expiresAt: issued.expiresAt,
    sendCount: previous?.sends?.count ?? 0,
    lastSentAt: previous?.sends?.lastAt ?? null,
  };
}

/**
 * The end-user endpoints: checks an invite code (or, failing that, an email verification
 * code; for an INITIAL user first its init code) of a user of the tenant, marks the email
 * verified and, with a password, sets the first password — all or nothing. An accepted init
 * code makes the user ACTIVE. Unknown users and wrong codes look the same.
 */
export async function acceptCode(
  tx: Queryable,
  deps: CommandDeps,
  orgId: string,
  userId: string,
  code: string,
  password: PreparedPassword | undefined,
): Promise<boolean> {
  const user = await lockHuman(tx, userId);
  if (!user || user.orgId !== orgId) return false;
  const codes = codeQueries(tx);
  const at = deps.now();
  let matched: "init" | "invite" | "email" | undefined;
  const failures: NewEvent[] = [];
  // Setting a password takes an init or invite code: an email code proves the address only,
  // and must never replace a password the user already has.
  const kinds = (user.state === UserState.Initial ? INITIAL_KINDS : ACTIVE_KINDS).filter(
    (k) => !password || k !== "email",
  );
  for (const kind of kinds) {
    const stored = await codes.get(orgId, userId, kind);
    if (!stored?.codeHash) continue;
    if ((await checkCode(tx, deps, user, stored, code)) === "ok") {
      matched = kind;
      break;
    }
    failures.push({ type: CHECK_FAILED[kind] });
  }
  if (!matched) {
    // Failed checks count against the codes' attempt limits, so they are committed.
    if (failures.length > 0) await writeUserEvents(tx, user, "end-user", at, failures);
    return false;
  }
  if (password?.policyError) throw password.policyError;
  await codes.consume(orgId, userId, "invite");
  await codes.consume(orgId, userId, "email");
  const events: NewEvent[] = [];
  if (matched === "init") {
    // Login v1's init step (spec §7): ACTIVE, and the address is verified if it was not.
    await userUpdates(tx).apply(orgId, userId, { state: UserState.Active, emailVerified: true });
    events.push({ type: "user.human.initialization.check.succeeded" });
    if (!user.emailVerified) events.push({ type: "user.human.email.verified" });
  } else {
    await userUpdates(tx).apply(orgId, userId, { emailVerified: true });
    if (matched === "invite") events.push({ type: "user.human.invite.check.succeeded" });
    events.push({ type: "user.human.email.verified" });
  }
  if (password) events.push(await storePassword(tx, user, password, at));
  await writeUserEvents(tx, user, "end-user", at, events);
  return true;
}
