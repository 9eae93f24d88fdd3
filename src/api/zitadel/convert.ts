import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { WriteDetails } from "../../commands/deps.ts";
import { type User, UserState } from "../../domain/user.ts";

/** v2 `Details` of a write: sequence, change date, resource owner (no creation date). */
export function v2WriteDetails(d: WriteDetails) {
  return {
    sequence: BigInt(d.sequence),
    changeDate: timestampFromDate(d.changeDate),
    resourceOwner: d.resourceOwner,
  };
}

/** v2 `Details` of a read: the user's row dates. */
export function v2ReadDetails(u: User) {
  return {
    sequence: BigInt(u.sequence),
    changeDate: timestampFromDate(u.updatedAt),
    resourceOwner: u.orgId,
    creationDate: timestampFromDate(u.createdAt),
  };
}

/** Internal state → `zitadel.user.v2.UserState` (INITIAL is 5 there, 6 internally). */
export function v2State(state: number): number {
  switch (state) {
    case UserState.Active:
      return 1;
    case UserState.Inactive:
      return 2;
    case UserState.Locked:
      return 4;
    case UserState.Initial:
      return 5;
    default:
      return 0;
  }
}

const optional = (s: string) => (s ? s : undefined);

/** A user as `zitadel.user.v2.User`. */
export function v2User(u: User) {
  const common = {
    state: v2State(u.state),
    username: u.username,
    loginNames: [u.username],
    preferredLoginName: u.username,
  };
  if (u.type === "machine") {
    return {
      userId: u.id,
      details: v2ReadDetails(u),
      ...common,
      type: { case: "machine" as const, value: { name: u.displayName, description: "" } },
    };
  }
  return {
    userId: u.id,
    details: v2ReadDetails(u),
    ...common,
    type: {
      case: "human" as const,
      value: {
        userId: u.id,
        ...common,
        profile: {
          givenName: u.givenName,
          familyName: u.familyName,
          nickName: optional(u.nickName),
          displayName: optional(u.displayName),
          preferredLanguage: optional(u.preferredLanguage),
          gender: u.gender || undefined,
          avatarUrl: "",
        },
        email: { email: u.email, isVerified: u.emailVerified },
        phone: { phone: u.phone, isVerified: u.phoneVerified },
        passwordChangeRequired: u.passwordChangeRequired,
        passwordChanged: u.passwordChangedAt ? timestampFromDate(u.passwordChangedAt) : undefined,
      },
    },
  };
}
