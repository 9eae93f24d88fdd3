import type { Caller } from "./caller.ts";

/**
 * Actions Cedar decides on. The permissions ZITADEL names (`user.read`, `user.write`, …) are
 * action groups; specific actions (`user.invite.send`) sit inside them so operators can write
 * policies about one call without losing the role defaults.
 */
export const ACTIONS = [
  "user.read",
  "user.write",
  "user.delete",
  "user.self.delete",
  "user.invite.send",
  "user.invite.return",
  "user.email.code.send",
  "user.email.code.return",
  "user.email.verified.set",
  "user.password.set",
  "user.password.reset.send",
  "user.password.reset.return",
  "user.token.write",
  "user.token.read",
  "org.read",
  "org.write",
  "org.create",
  "org.member.read",
  "org.member.write",
  "org.member.delete",
  "iam.member.read",
  "iam.member.write",
  "iam.member.delete",
  "action.target.read",
  "action.target.write",
  "action.target.delete",
  "action.execution.read",
  "action.execution.write",
  "events.read",
] as const;
export type Action = (typeof ACTIONS)[number];

/** What an action is about: its organization (empty when unknown) and, for user actions, the user. */
export interface Target {
  orgId: string;
  userId?: string | undefined;
  /** Attributes operators may write conditions on. */
  email?: string | undefined;
  emailVerified?: boolean | undefined;
}

export interface Decision {
  allowed: boolean;
  /** The caller holds no role on the instance nor on the target's organization. */
  noMembership: boolean;
  /** Ids of the policies that decided (Cedar's reasons). */
  policies: string[];
  /** `@notice("…")` texts of those policies, for denials. */
  notices: string[];
}

/** Decides what callers may do; one instance per process, policies parsed once. */
export interface Authorizer {
  decide(caller: Caller, action: Action, target: Target): Decision;
  /**
   * Throws ZITADEL's errors for a refusal: no membership → NOT_FOUND `AUTHZ-cdgFk`
   * ("membership not found"); otherwise PERMISSION_DENIED with `deniedId` ("No matching
   * permissions found"), carrying the notices in the error's details.
   */
  require(caller: Caller, action: Action, target: Target, deniedId: string): void;
}
