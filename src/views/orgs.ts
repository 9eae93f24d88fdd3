import type { Authorizer } from "../authz/authorizer.ts";
import type { Caller } from "../authz/caller.ts";
import type { Queryable } from "../db/types.ts";
import { notFound } from "../errors/usher-error.ts";
import { instanceQueries } from "../queries/instance.ts";
import { orgQueries, type StoredOrg } from "../queries/orgs.ts";
import { type OrgFilter, type OrgSearch, orgListQueries } from "../queries/orgs-list.ts";

/**
 * v2 ListOrganizations: the organizations matching the search that the caller may `org.read`.
 * The filter runs in SQL (not on the page afterwards), so `totalResult` and paging count only
 * what the caller can see: everything when an instance role allows it, else the caller's own
 * organization and those it holds roles on, as far as the policies allow each. A `default`
 * filter stands for the instance's default organization.
 */
export async function listOrgsForCaller(
  q: Queryable,
  authz: Authorizer,
  caller: Caller,
  search: Omit<OrgSearch, "within" | "filters"> & { filters: ReadonlyArray<OrgFilter | { kind: "default" }> },
): Promise<{ total: number; orgs: StoredOrg[] }> {
  const defaultOrgId = search.filters.some((f) => f.kind === "default")
    ? ((await instanceQueries(q).get())?.defaultOrgId ?? "")
    : "";
  const filters = search.filters.map(
    (f): OrgFilter => (f.kind === "default" ? { kind: "id", id: defaultOrgId } : f),
  );
  const everywhere = authz.decide(caller, "org.read", { orgId: "" }).allowed;
  const candidates = new Set([caller.orgId, ...caller.orgRoles.keys()]);
  const within = everywhere
    ? undefined
    : [...candidates].filter((orgId) => authz.decide(caller, "org.read", { orgId }).allowed);
  return orgListQueries(q).search({ ...search, filters, within });
}

/** v1 GetMyOrg: the context organization (it exists: the interceptor checked). */
export async function getOrg(q: Queryable, orgId: string): Promise<StoredOrg> {
  const org = await orgQueries(q).byId(orgId);
  if (!org) throw notFound("QUERY-leq5Q", "Errors.Org.NotFound");
  return org;
}
