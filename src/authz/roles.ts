/** Permissions Usher checks, named as ZITADEL names them. */
export type Permission =
  | "user.read"
  | "user.write"
  | "user.delete"
  | "org.read"
  | "org.write"
  | "iam.read"
  | "iam.write";

const ALL_USER: Permission[] = ["user.read", "user.write", "user.delete"];

/**
 * ZITADEL's default role → permission mapping, reduced to the permissions Usher knows.
 * Instance roles (`IAM_*`) apply to every organization; org roles to their own.
 */
export const ROLE_PERMISSIONS: Readonly<Record<string, readonly Permission[]>> = {
  IAM_OWNER: [...ALL_USER, "org.read", "org.write", "iam.read", "iam.write"],
  IAM_OWNER_VIEWER: ["user.read", "org.read", "iam.read"],
  IAM_USER_MANAGER: [...ALL_USER, "org.read"],
  ORG_OWNER: [...ALL_USER, "org.read", "org.write"],
  ORG_OWNER_VIEWER: ["user.read", "org.read"],
  ORG_USER_MANAGER: [...ALL_USER, "org.read"],
  ORG_USER_VIEWER: ["user.read"],
};

export const INSTANCE_ROLES = Object.keys(ROLE_PERMISSIONS).filter((r) => r.startsWith("IAM_"));
export const ORG_ROLES = Object.keys(ROLE_PERMISSIONS).filter((r) => r.startsWith("ORG_"));
