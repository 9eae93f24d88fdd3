import { authenticate } from "../../authz/authenticate.ts";
import type { Caller } from "../../authz/caller.ts";
import type { CommandDeps } from "../../commands/deps.ts";
import { orgQueries } from "../../queries/orgs.ts";
import { notFound, TenantError, validation } from "./tenant-error.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Instance roles that may name any tenant. */
const INSTANCE_WIDE = ["IAM_OWNER", "IAM_USER_MANAGER"];

/**
 * Authenticates `X-API-Key` (or `Authorization: Bearer`), then checks `X-Tenant-ID`: it must
 * be a UUID and the credential's own tenant, unless the credential holds an instance-wide
 * role. This runs before any lookup of the call's target, so a foreign key learns nothing.
 */
export async function tenantCaller(
  deps: CommandDeps,
  headers: Headers,
): Promise<{ caller: Caller; tenantId: string }> {
  const apiKey = headers.get("x-api-key");
  const authorization = apiKey ? `Bearer ${apiKey}` : headers.get("authorization");
  const caller = await authenticate(deps.db, authorization, deps.now(), deps.callers);
  const tenantId = requireTenantHeader(headers);
  if (tenantId !== caller.orgId) {
    if (!caller.instanceRoles.some((r) => INSTANCE_WIDE.includes(r))) {
      throw new TenantError(403, "tenant_mismatch", "X-Tenant-ID is not the tenant of this credential.", {
        tenant_id: tenantId,
      });
    }
    if (!(await orgQueries(deps.db).exists(tenantId))) throw notFound("Tenant", { tenant_id: tenantId });
  }
  return { caller, tenantId };
}

export function requireTenantHeader(headers: Headers): string {
  const tenantId = headers.get("x-tenant-id");
  if (!tenantId) throw validation([{ field: "header.X-Tenant-ID", message: "is required" }]);
  if (!UUID.test(tenantId)) throw validation([{ field: "header.X-Tenant-ID", message: "must be a UUID" }]);
  return tenantId.toLowerCase();
}
