import type { Queryable } from "../db/types.ts";
import {
  checkPasswordPolicy,
  DEFAULT_PASSWORD_POLICY,
  type PasswordPolicy,
} from "../domain/password-policy.ts";
import { hashPassword, verifyPassword } from "../domain/passwords.ts";
import type { User } from "../domain/user.ts";
import { failedPrecondition, invalidArgument, type UsherError } from "../errors/usher-error.ts";
import { codeQueries } from "../queries/codes.ts";
import type { NewEvent } from "../queries/events.ts";
import { userUpdates } from "../queries/user-updates.ts";
import { checkCode } from "./code-mail.ts";
import type { CommandDeps } from "./deps.ts";

/** What authorises a password change besides a permission: a reset code or the current password. */
export type PasswordProof =
  | { kind: "none" }
  | { kind: "code"; code: string }
  | { kind: "current"; password: string };

/** A new password as given: plain text (checked and hashed) or an imported hash. */
export type NewPassword =
  | { plain: string; changeRequired: boolean }
  | { hash: string; changeRequired: boolean };

/** A new password ready to store, or the complexity error to raise at its place in the order. */
export interface PreparedPassword {
  hash: string | null;
  changeRequired: boolean;
  policyError: UsherError | undefined;
}

/**
 * Checks complexity and hashes before the transaction: argon2id takes tens of milliseconds
 * and must not run under the user's row lock. The complexity error is kept, not thrown, so
 * the command raises it after the earlier preconditions (spec order).
 */
export async function preparePassword(
  pw: NewPassword,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): Promise<PreparedPassword> {
  if ("hash" in pw) return { hash: pw.hash, changeRequired: pw.changeRequired, policyError: undefined };
  try {
    checkPasswordPolicy(policy, pw.plain);
  } catch (e) {
    return { hash: null, changeRequired: pw.changeRequired, policyError: e as UsherError };
  }
  return { hash: await hashPassword(pw.plain), changeRequired: pw.changeRequired, policyError: undefined };
}

/** A failed reset-code check: "expired" or "wrong" (the failure is recorded, then reported). */
export type CodeFailure = "expired" | "wrong";

/**
 * Checks a proof inside the transaction. No reset code → FAILED_PRECONDITION `COMMAND-2M9fs`;
 * no password to compare → `COMMAND-Fds3s`; wrong current password → INVALID_ARGUMENT
 * `COMMAND-3M0fs`. A failed code check is returned instead of thrown so the caller can commit
 * the attempt (the limit of `checkCode`) before reporting it with `codeFailureError`.
 */
export async function checkProof(
  tx: Queryable,
  deps: CommandDeps,
  user: User,
  proof: PasswordProof,
): Promise<CodeFailure | undefined> {
  if (proof.kind === "current") {
    if (!user.passwordHash) throw failedPrecondition("COMMAND-Fds3s", "Errors.User.Password.NotSet");
    if (!(await verifyPassword(proof.password, user.passwordHash)))
      throw invalidArgument("COMMAND-3M0fs", "Errors.User.Password.Invalid");
    return undefined;
  }
  if (proof.kind !== "code") return undefined;
  const stored = await codeQueries(tx).get(user.orgId, user.id, "password");
  if (!stored?.codeHash)
    throw failedPrecondition("COMMAND-2M9fs", "Errors.User.Code.NotFound", undefined, "no_code");
  const expired = stored.expiresAt.getTime() <= deps.now().getTime();
  const outcome = await checkCode(tx, deps, user, stored, proof.code);
  if (outcome === "ok") return undefined;
  return expired ? "expired" : "wrong";
}

/** The error a failed reset-code check answers with (ZITADEL's `crypto.VerifyCode` ids). */
export function codeFailureError(failure: CodeFailure): UsherError {
  return failure === "expired"
    ? failedPrecondition("CODE-QvUQ4P", "Errors.User.Code.Expired", undefined, "invalid_code")
    : invalidArgument("CODE-woT0xc", "Errors.User.Code.Invalid", undefined, "invalid_code");
}

/**
 * Stores the new password and returns its `password.changed` event. A password is an
 * authentication method, so the pending reset code and any pending invite end here.
 */
export async function storePassword(
  tx: Queryable,
  user: User,
  pw: PreparedPassword,
  at: Date,
): Promise<NewEvent> {
  if (pw.policyError) throw pw.policyError;
  if (pw.hash === null) throw new Error("password was not prepared");
  await userUpdates(tx).apply(user.orgId, user.id, {
    passwordHash: pw.hash,
    passwordChangeRequired: pw.changeRequired,
    passwordChangedAt: at,
  });
  const codes = codeQueries(tx);
  await codes.consume(user.orgId, user.id, "password");
  await codes.consume(user.orgId, user.id, "invite");
  return { type: "user.human.password.changed", payload: { changeRequired: pw.changeRequired } };
}
