import type { Queryable } from "../db/types.ts";
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from "../errors/usher-error.ts";
import { memberQueries } from "../queries/members.ts";
import { orgQueries, type StoredOrg } from "../queries/orgs.ts";
import { userQueries } from "../queries/users.ts";
import { requireGrant } from "./credential-guard.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import { checkChangedOrgMember, checkNewOrgMember, sameRoles } from "./member-roles.ts";
import { writeOrgEvents } from "./org-events.ts";

/** v1 calls are refused with the interceptor's id even when the command decides. */
const DENIED = "AUTH-5mWD2";

/**
 * AddOrgMember (v1) in the context organization. Order as ZITADEL's: organization exists
 * (`COMMAND-QXPGs`) → `org.member.write` → user id and roles valid → the user exists in any
 * organization of the instance (`ORG-GoXOn`) → not a member yet (`ORG-poWwe`) → the caller
 * holds every permission of the roles (`AUTHZ-Esc4lt`).
 */
export async function addOrgMember(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  roles: readonly string[],
): Promise<WriteDetails> {
  const org = await lockOrg(tx, actor.orgId);
  if (!org) throw failedPrecondition("COMMAND-QXPGs", "Errors.Org.NotFound");
  deps.authz.require(actor.caller, "org.member.write", { orgId: org.id }, DENIED);
  checkNewOrgMember(userId, roles);
  const user = await userQueries(tx).byId(userId);
  if (!user) throw failedPrecondition("ORG-GoXOn", "Errors.User.NotFound");
  const members = memberQueries(tx);
  if (await members.get(org.id, userId)) throw alreadyExists("ORG-poWwe", "Errors.Org.Member.AlreadyExists");
  requireGrant(deps, actor.caller, { userId, orgId: user.orgId }, org.id, roles);
  const at = deps.now();
  const details = await writeOrgEvents(tx, org.id, actor.caller.userId, at, [
    { type: "org.member.added", payload: { userId, roles } },
  ]);
  await members.insert({ orgId: org.id, userId, roles, sequence: details.sequence, at });
  return details;
}

/**
 * UpdateOrgMember (v1): roles valid (`Org-LiaZi`, `IAM-m9fG8`) → the membership exists
 * (`Org-D8JxR`) → `org.member.write` → the caller holds every permission of the roles
 * (`AUTHZ-Esc4lt`, even when they are unchanged) → unchanged roles answer the current details
 * without an event, as ZITADEL does.
 */
export async function changeOrgMember(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  roles: readonly string[],
): Promise<WriteDetails> {
  checkChangedOrgMember(userId, roles);
  const org = await lockOrg(tx, actor.orgId);
  const members = memberQueries(tx);
  const member = org && (await members.get(org.id, userId));
  if (!org || !member) throw notFound("Org-D8JxR", "Errors.NotFound");
  deps.authz.require(actor.caller, "org.member.write", { orgId: org.id }, DENIED);
  const home = (await userQueries(tx).byId(userId))?.orgId ?? org.id;
  requireGrant(deps, actor.caller, { userId, orgId: home }, org.id, roles);
  if (sameRoles(member.roles, roles))
    return { sequence: member.sequence, changeDate: member.updatedAt, resourceOwner: org.id };
  const at = deps.now();
  const details = await writeOrgEvents(tx, org.id, actor.caller.userId, at, [
    { type: "org.member.changed", payload: { userId, roles } },
  ]);
  await members.update({ orgId: org.id, userId, roles, sequence: details.sequence, at });
  return details;
}

/**
 * RemoveOrgMember (v1): user id given (`Org-LiaZi`) → removing someone who is no member
 * succeeds without an event (ZITADEL answers before its permission check) → `org.member.delete`.
 */
export async function removeOrgMember(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
): Promise<WriteDetails> {
  if (!userId) throw invalidArgument("Org-LiaZi", "Errors.Org.MemberInvalid");
  const org = await lockOrg(tx, actor.orgId);
  if (!org) throw failedPrecondition("COMMAND-QXPGs", "Errors.Org.NotFound");
  const members = memberQueries(tx);
  if (!(await members.get(org.id, userId)))
    return { sequence: org.sequence, changeDate: org.updatedAt, resourceOwner: org.id };
  deps.authz.require(actor.caller, "org.member.delete", { orgId: org.id }, DENIED);
  const at = deps.now();
  const details = await writeOrgEvents(tx, org.id, actor.caller.userId, at, [
    { type: "org.member.removed", payload: { userId } },
  ]);
  await members.remove(org.id, userId);
  return details;
}

/** The organization, locked: member events of one organization are serialised on its row. */
async function lockOrg(tx: Queryable, orgId: string): Promise<StoredOrg | undefined> {
  const org = await orgQueries(tx).lockById(orgId);
  return org && (org.state === 1 || org.state === 2) ? org : undefined;
}
