import { INSTANCE_ROLES, ORG_ROLES } from "../authz/roles.ts";
import { invalidArgument } from "../errors/usher-error.ts";

/** ZITADEL's default role of an organization's admins. */
export const ORG_OWNER = "ORG_OWNER";

/** Roles a request names that the scope does not know (ZITADEL's `CheckForInvalidRoles`). */
function unknownRoles(roles: readonly string[], known: readonly string[]): string[] {
  return roles.filter((r) => !known.includes(r));
}

/**
 * Organization roles of AddOrgMember / AddOrganization admins: a user id and at least one role
 * (`ORG-4Mlfs`), all of them `ORG_*` roles Usher knows (`Org-4N8es`).
 */
export function checkNewOrgMember(userId: string, roles: readonly string[]): void {
  if (!userId || roles.length === 0) throw invalidArgument("ORG-4Mlfs", "Errors.Invalid.Argument");
  if (unknownRoles(roles, ORG_ROLES).length > 0)
    throw invalidArgument("Org-4N8es", "Errors.Org.MemberInvalid");
}

/** UpdateOrgMember: a user id and at least one role (`Org-LiaZi`), all known (`IAM-m9fG8`). */
export function checkChangedOrgMember(userId: string, roles: readonly string[]): void {
  if (!userId || roles.length === 0) throw invalidArgument("Org-LiaZi", "Errors.Org.MemberInvalid");
  if (unknownRoles(roles, ORG_ROLES).length > 0)
    throw invalidArgument("IAM-m9fG8", "Errors.Org.MemberInvalid");
}

/** AddIAMMember: a user id (`INSTA-SDSfs`) and only `IAM_*` roles Usher knows (`INSTANCE-4m0fS`). */
export function checkNewInstanceMember(userId: string, roles: readonly string[]): void {
  if (!userId) throw invalidArgument("INSTA-SDSfs", "Errors.Invalid.Argument");
  if (unknownRoles(roles, INSTANCE_ROLES).length > 0)
    throw invalidArgument("INSTANCE-4m0fS", "Errors.Instance.MemberInvalid");
}

/** UpdateIAMMember: a user id and at least one role (`INSTANCE-LiaZi`), all known (`INSTANCE-3m9fs`). */
export function checkChangedInstanceMember(userId: string, roles: readonly string[]): void {
  if (!userId || roles.length === 0) throw invalidArgument("INSTANCE-LiaZi", "Errors.Instance.MemberInvalid");
  if (unknownRoles(roles, INSTANCE_ROLES).length > 0)
    throw invalidArgument("INSTANCE-3m9fs", "Errors.Instance.MemberInvalid");
}

/** Whether two role lists are the same, in order (ZITADEL's `slices.Compare`). */
export function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}
