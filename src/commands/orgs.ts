import type { Queryable } from "../db/types.ts";
import { uuidv7 } from "../domain/ids.ts";
import { iamDomainName } from "../domain/org-domain.ts";
import { alreadyExists, failedPrecondition, invalidArgument } from "../errors/usher-error.ts";
import { appendEvents, type NewEvent } from "../queries/events.ts";
import { memberQueries } from "../queries/members.ts";
import { orgQueries } from "../queries/orgs.ts";
import { userQueries } from "../queries/users.ts";
import { requireGrant } from "./credential-guard.ts";
import type { Actor, CommandDeps, WriteDetails } from "./deps.ts";
import { checkNewOrgMember, ORG_OWNER } from "./member-roles.ts";
import { writeOrgEvents } from "./org-events.ts";
import { type AddHumanInput, addHumanUser } from "./users.ts";

/** An admin of a new organization: an existing user, or a person created with it. */
export type OrgAdmin =
  | { userId: string; roles: readonly string[] }
  | { human: Omit<AddHumanInput, "orgId">; roles: readonly string[] };

/** What v2 AddOrganization asks for. */
export interface AddOrgInput {
  name: string;
  /** The caller's own id for the organization; generated when empty. */
  orgId?: string | undefined;
  admins: readonly OrgAdmin[];
}

/** The new organization, its details and the admins created with it. */
export interface AddOrgResult {
  orgId: string;
  details: WriteDetails;
  /** The people created as admins, with their email code when it was asked to be returned. */
  createdAdmins: Array<{ userId: string; emailCode?: string }>;
}

/**
 * v2 AddOrganization, in the caller's transaction: the organization with its generated primary domain
 * (`org.added`, `org.domain.added|verified|primary.set`), the admins created or named, and
 * their memberships (`org.member.added`, default role ORG_OWNER). Order as ZITADEL's:
 * `org.create` → name (`ORG-mruNY`) → domain (`ORG-RrfXY`) → each admin's roles → name and id
 * free (`V3-DKcYh`) → admins (a person's own checks, or `ORG-GoXOn`) → no admin twice → the
 * caller holds every permission of each admin's roles on the new organization (`AUTHZ-Esc4lt`;
 * it has no roles there yet, so its instance roles must cover them).
 */
export async function addOrganization(
  tx: Queryable,
  deps: CommandDeps,
  actor: Actor,
  input: AddOrgInput,
): Promise<AddOrgResult> {
  deps.authz.require(actor.caller, "org.create", { orgId: "" }, "AUTH-AWfge");
  const name = input.name.trim();
  if (!name) throw invalidArgument("ORG-mruNY", "Errors.Invalid.Argument");
  const domain = iamDomainName(name, new URL(deps.config.externalUrl).hostname);
  if (!domain) throw invalidArgument("ORG-RrfXY", "Errors.Org.Domain.EmptyString");
  const admins = input.admins.map((a) => ({ ...a, roles: a.roles.length > 0 ? a.roles : [ORG_OWNER] }));
  // A person created with the organization has no id yet; only its roles can be checked now.
  for (const a of admins) checkNewOrgMember("human" in a ? "(new)" : a.userId, a.roles);
  const orgId = input.orgId?.trim() || uuidv7();

  const orgs = orgQueries(tx);
  if ((await orgs.byId(orgId)) || (await orgs.nameTaken(name)))
    throw alreadyExists("V3-DKcYh", "Errors.Org.AlreadyExists");
  if (await orgs.domainTaken(domain)) throw alreadyExists("V3-DKcYh", "Errors.Org.Domain.AlreadyExists");
  const at = deps.now();
  const by = actor.caller.userId;
  // The row starts at sequence 1: its org.added event.
  await orgs.insert({ id: orgId, name, primaryDomain: domain }, at).catch((e: unknown) => {
    // A concurrent AddOrganization took the name, id or domain after the checks above.
    if ((e as { code?: unknown }).code === "23505")
      throw alreadyExists("V3-DKcYh", "Errors.Org.AlreadyExists");
    throw e;
  });
  await appendEvents(
    tx,
    { orgId, aggregateType: "org", aggregateId: orgId, lastSequence: 1, actor: by, at },
    [{ type: "org.added", payload: { name } }],
  );
  let details = await writeOrgEvents(tx, orgId, by, at, [
    { type: "org.domain.added", payload: { domain } },
    { type: "org.domain.verified", payload: { domain } },
    { type: "org.domain.primary.set", payload: { domain } },
  ]);

  const createdAdmins: AddOrgResult["createdAdmins"] = [];
  const memberships: Array<{ userId: string; roles: readonly string[] }> = [];
  for (const admin of admins) {
    let userId: string;
    let home = orgId;
    if ("human" in admin) {
      const created = await addHumanUser(tx, deps, actor, { ...admin.human, orgId });
      userId = created.userId;
      createdAdmins.push(
        created.emailCode === undefined ? { userId } : { userId, emailCode: created.emailCode },
      );
    } else {
      userId = admin.userId;
      const existing = await userQueries(tx).byId(userId);
      if (!existing) throw failedPrecondition("ORG-GoXOn", "Errors.User.NotFound");
      home = existing.orgId;
    }
    if (memberships.some((m) => m.userId === userId))
      throw alreadyExists("ORG-poWwe", "Errors.Org.Member.AlreadyExists");
    requireGrant(deps, actor.caller, { userId, orgId: home }, orgId, admin.roles);
    memberships.push({ userId, roles: admin.roles });
  }
  if (memberships.length > 0) {
    const events: NewEvent[] = memberships.map((m) => ({
      type: "org.member.added",
      payload: { userId: m.userId, roles: m.roles },
    }));
    details = await writeOrgEvents(tx, orgId, by, at, events);
    const first = details.sequence - memberships.length + 1;
    const members = memberQueries(tx);
    for (const [i, m] of memberships.entries())
      await members.insert({ orgId, userId: m.userId, roles: m.roles, sequence: first + i, at });
  }
  return { orgId, details, createdAdmins };
}
