import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { WriteDetails } from "../../commands/deps.ts";
import type { User } from "../../domain/user.ts";
import type { MemberView } from "../../queries/members-list.ts";
import type { StoredOrg } from "../../queries/orgs.ts";
import type { PatView } from "../../queries/tokens-list.ts";

/** v1 `ObjectDetails` of a create call: sequence, creation date, resource owner. */
export function v1AddDetails(d: WriteDetails) {
  return {
    sequence: BigInt(d.sequence),
    creationDate: timestampFromDate(d.changeDate),
    resourceOwner: d.resourceOwner,
  };
}

/** v1 `ObjectDetails` of any other write: sequence, change date, resource owner. */
export function v1ChangeDetails(d: WriteDetails) {
  return {
    sequence: BigInt(d.sequence),
    changeDate: timestampFromDate(d.changeDate),
    resourceOwner: d.resourceOwner,
  };
}

/** v1 `ObjectDetails` of a read: both dates. */
export function v1ReadDetails(sequence: number, created: Date, changed: Date, resourceOwner: string) {
  return {
    sequence: BigInt(sequence),
    creationDate: timestampFromDate(created),
    changeDate: timestampFromDate(changed),
    resourceOwner,
  };
}

/** v1 `ListDetails`: how many match in all, as of when. */
export function v1ListDetails(total: number, at: Date) {
  return { totalResult: BigInt(total), viewTimestamp: timestampFromDate(at) };
}

/** An organization as `zitadel.org.v1.Org` (the same state numbers as Usher's). */
export function v1Org(o: StoredOrg) {
  return {
    id: o.id,
    details: v1ReadDetails(o.sequence, o.createdAt, o.updatedAt, o.id),
    state: o.state,
    name: o.name,
    primaryDomain: o.primaryDomain,
  };
}

/** A membership as `zitadel.member.v1.Member`; `resourceOwner` is the organization or instance id. */
export function v1Member(m: MemberView, resourceOwner: string) {
  return {
    userId: m.userId,
    details: v1ReadDetails(m.sequence, m.createdAt, m.updatedAt, resourceOwner),
    roles: m.roles,
    preferredLoginName: m.username,
    email: m.email,
    firstName: m.givenName,
    lastName: m.familyName,
    displayName: m.displayName,
    userType: m.userType === "human" ? 1 : 2,
    userResourceOwner: m.userOrgId,
  };
}

/** A token as `zitadel.user.v1.PersonalAccessToken` (tokens without an end show ZITADEL's). */
export function v1PersonalAccessToken(t: PatView, noExpiry: Date) {
  return {
    id: t.id,
    details: v1ReadDetails(t.sequence, t.createdAt, t.createdAt, t.orgId),
    expirationDate: timestampFromDate(t.expiresAt ?? noExpiry),
    scopes: t.scopes,
  };
}

/**
 * A user as `zitadel.user.v1.User`. v1 state numbers are Usher's own (INITIAL is 6); a user
 * logs in with its username only, so that is its one login name.
 */
export function v1User(u: User) {
  const common = {
    id: u.id,
    details: v1ReadDetails(u.sequence, u.createdAt, u.updatedAt, u.orgId),
    state: u.state,
    userName: u.username,
    loginNames: [u.username],
    preferredLoginName: u.username,
  };
  if (u.type === "machine") {
    return { ...common, type: { case: "machine" as const, value: { name: u.displayName, description: "" } } };
  }
  return {
    ...common,
    type: {
      case: "human" as const,
      value: {
        profile: {
          firstName: u.givenName,
          lastName: u.familyName,
          nickName: u.nickName,
          displayName: u.displayName,
          preferredLanguage: u.preferredLanguage,
          gender: u.gender,
          avatarUrl: "",
        },
        email: { email: u.email, isEmailVerified: u.emailVerified },
        phone: { phone: u.phone, isPhoneVerified: u.phoneVerified },
        passwordChanged: u.passwordChangedAt ? timestampFromDate(u.passwordChangedAt) : undefined,
      },
    },
  };
}
