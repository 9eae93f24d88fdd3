import { Code } from "@connectrpc/connect";
import type { Caller } from "../../authz/caller.ts";
import type { CommandDeps } from "../../commands/deps.ts";
import { sendEmailCode } from "../../commands/email-codes.ts";
import { sendNewInitCode } from "../../commands/init-code-check.ts";
import { resendInviteCode } from "../../commands/invite-codes.ts";
import { passwordReset } from "../../commands/user-passwords.ts";
import type { User } from "../../domain/user.ts";
import { UsherError } from "../../errors/usher-error.ts";
import { codeQueries } from "../../queries/codes.ts";
import { userQueries } from "../../queries/users.ts";
import { takeResendToken } from "./page-throttles.ts";
import type { FlowName } from "./texts/types.ts";

/** What the "send me a new one" button leads to; the same for known and unknown users. */
export type ResendOutcome = { kind: "done" } | { kind: "throttled"; retryAfterSeconds: number };

/**
 * "Send me a new one" (login v1's resend, spec §7): mails a new code of the page's kind when
 * the user exists in the organization and still waits for one — init: still INITIAL; invite:
 * an invite was mailed before and no password is set; email: a code was mailed before and the
 * address is unverified; password: a reset code was mailed before (login v1's
 * RequestSetPassword; PasswordReset refuses INITIAL users). Refusals are swallowed, as ZITADEL does, so nothing tells whether the
 * user exists; the page's own throttle, taken for every requested id, makes the "try again
 * later" answer come alike too. The mail throttle still applies to real sends.
 */
export async function sendNewCode(
  deps: CommandDeps,
  flow: FlowName,
  orgId: string,
  userId: string,
): Promise<ResendOutcome> {
  const wait = await takeResendToken(deps, flow, userId);
  if (wait > 0) return { kind: "throttled", retryAfterSeconds: wait };
  try {
    await quietly(() => issue(deps, flow, orgId, userId));
    return { kind: "done" };
  } catch (e) {
    if (!(e instanceof UsherError) || e.code !== Code.ResourceExhausted) throw e;
    return { kind: "throttled", retryAfterSeconds: Number(e.details?.retry_after_seconds) || 60 };
  }
}

/** Runs a send; a refusal (any client-side error) counts as "nothing sent", throttling is passed on. */
async function quietly(send: () => Promise<boolean>): Promise<boolean> {
  try {
    return await send();
  } catch (e) {
    const passOn = [Code.ResourceExhausted, Code.Internal, Code.Unavailable, Code.Unknown];
    if (e instanceof UsherError && !passOn.includes(e.code)) return false;
    throw e;
  }
}

/**
 * The page's policy around the commands every surface runs: the user must be a human of the
 * organization, and its earlier code of the page's kind must have been mailed; then one
 * transaction runs the command, the user as the caller. Invite: `resendInviteCode`, the
 * function ZITADEL's ResendInviteCode runs (as login v1's invite page does: no invite code left,
 * no new one). Init: `sendNewInitCode` (login v1's ResendInitialMail). Email: `sendEmailCode`
 * (login v1 asks for a new verification code whether or not one is pending). Password:
 * `passwordReset`.
 */
async function issue(deps: CommandDeps, flow: FlowName, orgId: string, userId: string): Promise<boolean> {
  const user = await userQueries(deps.db).byId(userId);
  if (user?.type !== "human" || (orgId && user.orgId !== orgId)) return false;
  if (flow === "init") return deps.db.transaction((tx) => sendNewInitCode(tx, deps, user.id));
  const actor = { caller: selfCaller(user), orgId: user.orgId };
  if (flow === "invite") {
    await deps.db.transaction((tx) => resendInviteCode(tx, deps, actor, user.id));
    return true;
  }
  if (flow === "password") {
    const previous = await codeQueries(deps.db).get(user.orgId, user.id, "password");
    // Only codes that were mailed before: an app that delivers its own codes keeps doing so.
    if (!previous || previous.codeReturned) return false;
    await deps.db.transaction((tx) =>
      passwordReset(tx, deps, actor, user.id, {
        kind: "send",
        urlTemplate: previous.urlTemplate || undefined,
      }),
    );
    return true;
  }
  if (user.emailVerified) return false;
  return deps.db.transaction(async (tx) => {
    const previous = await codeQueries(tx).get(user.orgId, user.id, "email");
    // Only codes that were mailed before: an app that delivers its own codes keeps doing so.
    if (!previous || previous.codeReturned) return false;
    const urlTemplate = previous.urlTemplate || undefined;
    await sendEmailCode(tx, deps, actor, user.id, { kind: "send", urlTemplate });
    return true;
  });
}

/** The user acting on itself: the self-service policy lets it have its own codes mailed. */
function selfCaller(user: User): Caller {
  return { userId: user.id, orgId: user.orgId, tokenId: "", instanceRoles: [], orgRoles: new Map() };
}
