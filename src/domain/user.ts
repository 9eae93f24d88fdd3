/** ZITADEL's internal user states (also the numbers stored in the database). */
export const UserState = {
  Active: 1,
  Inactive: 2,
  Locked: 4,
  Initial: 6,
} as const;
export type UserState = (typeof UserState)[keyof typeof UserState];

/** A user as the write and read sides see it. */
export interface User {
  orgId: string;
  id: string;
  type: "human" | "machine";
  state: UserState;
  username: string;
  givenName: string;
  familyName: string;
  nickName: string;
  displayName: string;
  preferredLanguage: string;
  gender: number;
  email: string;
  emailVerified: boolean;
  phone: string;
  phoneVerified: boolean;
  passwordHash: string | null;
  passwordChangeRequired: boolean;
  passwordChangedAt: Date | null;
  sequence: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Whether the user has a way to sign in. Usher knows passwords so far; IdP links and passkeys
 * will count here too.
 */
export function hasAuthMethod(user: User): boolean {
  return user.passwordHash !== null;
}

/** ZITADEL's display name default: "given family", else the email, else the username. */
export function defaultDisplayName(
  givenName: string,
  familyName: string,
  email: string,
  username: string,
): string {
  const full = `${givenName} ${familyName}`.trim();
  return full || email || username;
}

/** A new service account (machine user) as stored: no profile, email or password. */
export function newMachineUser(f: {
  orgId: string;
  id: string;
  username: string;
  name: string;
  sequence: number;
  at: Date;
}): User {
  return {
    orgId: f.orgId,
    id: f.id,
    type: "machine",
    state: UserState.Active,
    username: f.username,
    givenName: "",
    familyName: "",
    nickName: "",
    displayName: f.name,
    preferredLanguage: "",
    gender: 0,
    email: "",
    emailVerified: false,
    phone: "",
    phoneVerified: false,
    passwordHash: null,
    passwordChangeRequired: false,
    passwordChangedAt: null,
    sequence: f.sequence,
    createdAt: f.at,
    updatedAt: f.at,
  };
}
