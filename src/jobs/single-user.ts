import type { Caller } from "../authz/caller.ts";
import type { CommandDeps } from "../commands/deps.ts";
import { createAndInvite, type NewTenantUser, resendInvite } from "../commands/tenant-onboarding.ts";
import type { Queryable } from "../db/types.ts";

/**
 * The single-user commands an invite job falls back on, run in the batch's transaction: an
 * existing user's invite resent (`on_existing=resend`), and — when a batch is applied row by
 * row after a refusal — one user created and invited. The job's only calls into `commands/`.
 */
export function singleUserCommands(deps: CommandDeps, tx: Queryable) {
  return {
    create: (caller: Caller, orgId: string, input: NewTenantUser) =>
      createAndInvite(tx, deps, caller, orgId, input),
    resend: (caller: Caller, orgId: string, userId: string) =>
      resendInvite(tx, deps, caller, orgId, userId, undefined),
  };
}
