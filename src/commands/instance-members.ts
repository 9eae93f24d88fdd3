import type { Queryable } from "../db/types.ts";
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from "../errors/usher-error.ts";
import { type InstanceAggregate, instanceQueries } from "../queries/instance.ts";
import { INSTANCE_SCOPE, memberQueries } from "../queries/members.ts";
import { userQueries } from "../queries/users.ts";
import { requireGrant } from "./credential-guard.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import { checkChangedInstanceMember, checkNewInstanceMember, sameRoles } from "./member-roles.ts";
import { writeInstanceEvents } from "./org-events.ts";

/** Admin API calls are v1 calls: refused with the interceptor's id. */
const DENIED = "AUTH-5mWD2";

/** The instance, locked: instance member events are serialised on its row. */
async function lockInstance(tx: Queryable): Promise<InstanceAggregate> {
  const instance = await instanceQueries(tx).lock();
  if (!instance) throw new Error("the instance is not bootstrapped");
  return instance;
}

/**
 * AddIAMMember: `iam.member.write` → user id (`INSTA-SDSfs`) and instance roles
 * (`INSTANCE-4m0fS`) → the user exists (`INSTA-GSXOn`) → not a member yet (`INSTA-pFDwe`) →
 * the caller holds every permission of the roles (`AUTHZ-Esc4lt`).
 */
export async function addInstanceMember(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  roles: readonly string[],
): Promise<WriteDetails> {
  deps.authz.require(actor.caller, "iam.member.write", { orgId: INSTANCE_SCOPE }, DENIED);
  checkNewInstanceMember(userId, roles);
  const instance = await lockInstance(tx);
  const user = await userQueries(tx).byId(userId);
  if (!user) throw failedPrecondition("INSTA-GSXOn", "Errors.User.NotFound");
  const members = memberQueries(tx);
  if (await members.get(INSTANCE_SCOPE, userId))
    throw alreadyExists("INSTA-pFDwe", "Errors.Instance.Member.AlreadyExists");
  requireGrant(deps, actor.caller, { userId, orgId: user.orgId }, INSTANCE_SCOPE, roles);
  const at = deps.now();
  const details = await writeInstanceEvents(tx, instance.instanceId, actor.caller.userId, at, [
    { type: "instance.member.added", payload: { userId, roles } },
  ]);
  await members.insert({ orgId: INSTANCE_SCOPE, userId, roles, sequence: details.sequence, at });
  return details;
}

/**
 * UpdateIAMMember: roles valid → membership exists (`INSTANCE-D8JxR`) → `iam.member.write` →
 * the caller holds every permission of the roles (`AUTHZ-Esc4lt`, even unchanged ones) →
 * unchanged roles answer without an event.
 */
export async function changeInstanceMember(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
  roles: readonly string[],
): Promise<WriteDetails> {
  checkChangedInstanceMember(userId, roles);
  const instance = await lockInstance(tx);
  const members = memberQueries(tx);
  const member = await members.get(INSTANCE_SCOPE, userId);
  if (!member) throw notFound("INSTANCE-D8JxR", "Errors.NotFound");
  deps.authz.require(actor.caller, "iam.member.write", { orgId: INSTANCE_SCOPE }, DENIED);
  const home = (await userQueries(tx).byId(userId))?.orgId ?? "";
  requireGrant(deps, actor.caller, { userId, orgId: home }, INSTANCE_SCOPE, roles);
  if (sameRoles(member.roles, roles))
    return { sequence: member.sequence, changeDate: member.updatedAt, resourceOwner: instance.instanceId };
  const at = deps.now();
  const details = await writeInstanceEvents(tx, instance.instanceId, actor.caller.userId, at, [
    { type: "instance.member.changed", payload: { userId, roles } },
  ]);
  await members.update({ orgId: INSTANCE_SCOPE, userId, roles, sequence: details.sequence, at });
  return details;
}

/**
 * RemoveIAMMember: user id given (`INSTANCE-LiaZi`) → `iam.member.delete` → removing someone
 * who is no member succeeds without an event.
 */
export async function removeInstanceMember(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  userId: string,
): Promise<WriteDetails> {
  if (!userId) throw invalidArgument("INSTANCE-LiaZi", "Errors.IDMissing");
  const instance = await lockInstance(tx);
  deps.authz.require(actor.caller, "iam.member.delete", { orgId: INSTANCE_SCOPE }, DENIED);
  const members = memberQueries(tx);
  if (!(await members.get(INSTANCE_SCOPE, userId))) {
    return { sequence: instance.sequence, changeDate: deps.now(), resourceOwner: instance.instanceId };
  }
  const at = deps.now();
  const details = await writeInstanceEvents(tx, instance.instanceId, actor.caller.userId, at, [
    { type: "instance.member.removed", payload: { userId } },
  ]);
  await members.remove(INSTANCE_SCOPE, userId);
  return details;
}
