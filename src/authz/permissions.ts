import { Code } from "@connectrpc/connect";
import { UsherError } from "../errors/usher-error.ts";
import type { Caller } from "./caller.ts";
import { type Permission, ROLE_PERMISSIONS } from "./roles.ts";

export type Decision = "allow" | "no_membership" | "deny";

/**
 * Decides whether the caller holds `permission` on organization `orgId` (empty: the target is
 * unknown, so only instance roles count). Mirrors ZITADEL: no membership at all on the instance
 * or the organization is distinguished from memberships that lack the permission.
 */
export function decide(caller: Caller, permission: Permission, orgId: string): Decision {
  const roles = [...caller.instanceRoles, ...(orgId ? (caller.orgRoles.get(orgId) ?? []) : [])];
  if (roles.length === 0) return "no_membership";
  return roles.some((r) => ROLE_PERMISSIONS[r]?.includes(permission)) ? "allow" : "deny";
}

/**
 * Throws ZITADEL's error for a refused decision. Both messages are untranslated in ZITADEL
 * (they come from the authorization layer), so they are literal keys here.
 */
export function requirePermission(
  caller: Caller,
  permission: Permission,
  orgId: string,
  deniedId: string,
): void {
  const decision = decide(caller, permission, orgId);
  if (decision === "allow") return;
  if (decision === "no_membership") {
    throw new UsherError({ code: Code.NotFound, id: "AUTHZ-cdgFk", key: "membership not found" });
  }
  throw new UsherError({ code: Code.PermissionDenied, id: deniedId, key: "No matching permissions found" });
}
