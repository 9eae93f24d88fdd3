import { Code } from "@connectrpc/connect";
import type { Queryable } from "../db/types.ts";
import { UsherError } from "../errors/usher-error.ts";
import { orgQueries } from "../queries/orgs.ts";
import type { Caller } from "./caller.ts";

/** Where a call names its organization (spec §3.1). */
export interface OrgHint {
  /** From the method's `org_field` (v2 AddHumanUser's `organization`). */
  orgId?: string | undefined;
  orgDomain?: string | undefined;
  /** The `x-zitadel-orgid` header. */
  header?: string | null | undefined;
}

/**
 * The context organization: the call's org field, else `x-zitadel-orgid`, else the caller's
 * own. It must exist: otherwise PERMISSION_DENIED `Organisation doesn't exist (AUTH-Bs7Ds)`.
 */
export async function resolveOrgContext(q: Queryable, caller: Caller, hint: OrgHint): Promise<string> {
  const orgs = orgQueries(q);
  let orgId = hint.orgId || undefined;
  if (!orgId && hint.orgDomain)
    orgId = (await orgs.byDomain(hint.orgDomain))?.id ?? `domain:${hint.orgDomain}`;
  orgId ??= hint.header || caller.orgId;
  if (orgId !== caller.orgId && !(await orgs.exists(orgId))) {
    throw new UsherError({
      code: Code.PermissionDenied,
      id: "AUTH-Bs7Ds",
      key: "Organisation doesn't exist",
    });
  }
  return orgId;
}
