import { defaultDisplayName, type User, UserState } from "./user.ts";

/** A language tag as stored; anything else is stored as `und`. */
const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** What a new human user is made of, checked and normalised by the caller (address, names). */
export interface NewHuman {
  orgId: string;
  id: string;
  username: string;
  givenName: string;
  familyName: string;
  nickName?: string | undefined;
  displayName?: string | undefined;
  preferredLanguage?: string | undefined;
  gender?: number | undefined;
  email: string;
  emailVerified: boolean;
  passwordHash?: string | null | undefined;
  passwordChangeRequired?: boolean | undefined;
  /** The stream's last sequence before the user's first event (a reused id continues its stream). */
  sequence: number;
  at: Date;
}

/**
 * A new human user as stored: ACTIVE, no phone, the display name defaulting as ZITADEL's, a
 * language that is not a tag stored as `und`.
 */
export function newHumanUser(h: NewHuman): User {
  const passwordHash = h.passwordHash ?? null;
  return {
    orgId: h.orgId,
    id: h.id,
    type: "human",
    state: UserState.Active,
    username: h.username,
    givenName: h.givenName,
    familyName: h.familyName,
    nickName: h.nickName ?? "",
    displayName: h.displayName?.trim() || defaultDisplayName(h.givenName, h.familyName, h.email, h.username),
    preferredLanguage:
      h.preferredLanguage && LANGUAGE.test(h.preferredLanguage) ? h.preferredLanguage : "und",
    gender: h.gender ?? 0,
    email: h.email,
    emailVerified: h.emailVerified,
    phone: "",
    phoneVerified: false,
    passwordHash,
    passwordChangeRequired: h.passwordChangeRequired ?? false,
    passwordChangedAt: passwordHash ? h.at : null,
    sequence: h.sequence,
    createdAt: h.at,
    updatedAt: h.at,
  };
}

/** The payload of `user.human.added`, in ZITADEL's field names (optional fields only when set). */
export function humanAddedPayload(u: User): Record<string, unknown> {
  const p: Record<string, unknown> = { userName: u.username, firstName: u.givenName, lastName: u.familyName };
  if (u.nickName) p.nickName = u.nickName;
  p.displayName = u.displayName;
  p.preferredLanguage = u.preferredLanguage;
  if (u.gender) p.gender = u.gender;
  p.email = u.email;
  if (u.passwordHash) p.changeRequired = u.passwordChangeRequired;
  return p;
}
