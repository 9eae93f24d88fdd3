import { Code } from "@connectrpc/connect";
import type { Caller } from "../authz/caller.ts";
import type { Queryable } from "../db/types.ts";
import { UsherError } from "../errors/usher-error.ts";
import type { CommandDeps } from "./deps.ts";
import type { PreparedPassword } from "./password-change.ts";
import { setPreparedPassword } from "./user-passwords.ts";

/** Who acts when an end user proves a code on a hosted page: no token, no roles. */
const END_USER: Caller = {
  userId: "end-user",
  orgId: "",
  tokenId: "",
  instanceRoles: [],
  orgRoles: new Map(),
};

/** What SetPassword refuses with: no such user, INITIAL, no code (FAILED_PRECONDITION), a wrong code. */
const REFUSALS: readonly Code[] = [Code.FailedPrecondition, Code.InvalidArgument];

/**
 * Login v1's password-init check (`/ui/login/password/init`) from the hosted page: v2
 * SetPassword with the reset code as proof — the same command, so the same rules (expiry,
 * attempt limit, the code ends with the new password) — for a user of the link's organization.
 * `false` for an unknown user, a user of another organization, a wrong, expired or used code
 * alike (a failed check is still recorded: the caller's transaction commits when this answers);
 * the page checked the password policy before.
 */
export async function setPasswordWithCode(
  tx: Queryable,
  deps: CommandDeps,
  orgId: string,
  userId: string,
  code: string,
  password: PreparedPassword,
): Promise<boolean> {
  try {
    const actor = { caller: END_USER, orgId };
    await setPreparedPassword(
      tx,
      deps,
      actor,
      userId,
      { ...password, changeRequired: false },
      { kind: "code", code },
      orgId,
    );
    return true;
  } catch (e) {
    if (e instanceof UsherError && REFUSALS.includes(e.code)) return false;
    throw e;
  }
}
