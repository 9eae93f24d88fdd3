import { Code } from "@connectrpc/connect";
import { UsherError } from "../errors/usher-error.ts";
import { ACTIONS, type Action, type Authorizer, type Target } from "./authorizer.ts";
import type { Caller } from "./caller.ts";

/** The organization id that stands for the instance (as `members.org_id`). */
const INSTANCE = "";

/** The stable id of the refusal, on every surface. */
export const ESCALATION_DENIED_ID = "AUTHZ-Esc4lt";

/** The notice the refusal carries (the tenant API's `notices`). */
export const ESCALATION_NOTICE =
  "A credential may not carry a permission its creator does not hold: the caller may not do everything the new credential could.";

/**
 * Who a credential would let act, and with which roles: the user it authenticates as, its
 * home organization, and the roles it holds on the instance and per organization.
 */
export type Holder = Omit<Caller, "tokenId">;

/** One thing the holder could do that the caller may not: an action, where, and on what. */
export interface Excess {
  action: Action;
  /** The organization, or `""` for the instance. */
  orgId: string;
  on: "org" | "user";
}

/** A user id that is neither the caller nor the holder: the "any other user" of a scope. */
const ANY_OTHER_USER = "usher:any-other-user";

/**
 * What the holder could do that the caller may not, asked of the authorizer (Cedar) for every
 * action, on every scope the holder has roles in (the instance stands for "every
 * organization"), on the organization itself and on any other user in it. The holder's
 * self-service powers over its own user are not compared: the caller already needed a
 * permission on that user to mint anything for it.
 */
export function excessOf(authz: Authorizer, caller: Caller, holder: Holder): Excess[] {
  const principal: Caller = { ...holder, tokenId: "" };
  const scopes = new Set<string>();
  if (holder.instanceRoles.length > 0) scopes.add(INSTANCE);
  for (const [orgId, roles] of holder.orgRoles) if (roles.length > 0) scopes.add(orgId);
  const excess: Excess[] = [];
  for (const orgId of scopes) {
    for (const on of ["org", "user"] as const) {
      const target: Target = on === "org" ? { orgId } : { orgId, userId: ANY_OTHER_USER };
      for (const action of ACTIONS) {
        if (!authz.decide(principal, action, target).allowed) continue;
        if (!authz.decide(caller, action, target).allowed) excess.push({ action, orgId, on });
      }
    }
  }
  return excess;
}

/**
 * The one rule every credential-minting path applies: no caller creates, obtains or keeps a
 * credential (a token, an API key, a role grant, a password or code of another user) that
 * could do anything the caller may not. Refused with PERMISSION_DENIED `AUTHZ-Esc4lt`
 * ("No matching permissions found", as every authorization refusal).
 */
export function requireNoEscalation(authz: Authorizer, caller: Caller, holder: Holder): void {
  const excess = excessOf(authz, caller, holder);
  if (excess.length === 0) return;
  throw new UsherError({
    code: Code.PermissionDenied,
    id: ESCALATION_DENIED_ID,
    key: "No matching permissions found",
    // Which permissions exceed is not said: it would tell the caller the other user's roles.
    details: { notices: [ESCALATION_NOTICE], policies: [] },
  });
}
