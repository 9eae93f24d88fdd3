/**
 * The roles Usher knows, as ZITADEL names them. What each role may do is decided by the Cedar
 * policies in `policies/roles.cedar`, not here.
 */
export const INSTANCE_ROLES: readonly string[] = ["IAM_OWNER", "IAM_OWNER_VIEWER", "IAM_USER_MANAGER"];
export const ORG_ROLES: readonly string[] = [
  "ORG_OWNER",
  "ORG_OWNER_VIEWER",
  "ORG_USER_MANAGER",
  "ORG_USER_VIEWER",
];
