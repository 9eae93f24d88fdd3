import { ACTIONS, type Action } from "../../authz/authorizer.ts";
import { createApiKey, type KeyRole, revokeApiKey } from "../../commands/api-keys.ts";
import type { CommandDeps } from "../../commands/deps.ts";
import { type ApiKeyRow, apiKeyQueries } from "../../queries/api-keys.ts";
import { userQueries } from "../../queries/users.ts";
import { decodeCursor, page } from "./cursor.ts";
import type { TenantCall, TenantRoute } from "./route.ts";
import { AuthzCheck, CreateApiKey, PageQuery } from "./schemas.ts";
import { notFound, validation } from "./tenant-error.ts";

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const view = (k: ApiKeyRow) => ({
  id: k.id,
  name: k.name,
  roles: k.roles,
  created_at: k.created_at.toISOString(),
  last_used_at: iso(k.last_used_at),
  expires_at: iso(k.expires_at),
  revoked_at: iso(k.revoked_at),
});
const caller = (c: TenantCall) => c.caller as NonNullable<TenantCall["caller"]>;

/** API keys and the authorization check. */
export function keyRoutes(deps: CommandDeps): TenantRoute[] {
  return [
    {
      method: "POST",
      path: "/v1/api-keys",
      operationId: "createApiKey",
      summary: "Create an API key; the raw key is in this response only",
      tag: "API keys",
      access: "credential",
      body: CreateApiKey,
      responses: { 201: "CreatedApiKey" },
      idempotent: true,
      async handler(c) {
        const b = c.body as { name: string; roles: KeyRole[]; expires_at?: string };
        const expiresAt = b.expires_at ? new Date(b.expires_at) : undefined;
        if (expiresAt && expiresAt.getTime() <= deps.now().getTime()) {
          throw validation([{ field: "body.expires_at", message: "must be in the future" }]);
        }
        const { key, rawKey } = await deps.db.transaction((tx) =>
          createApiKey(tx, deps, caller(c), c.tenantId, {
            name: b.name,
            roles: b.roles,
            expiresAt,
          }),
        );
        return { status: 201, body: { ...view(key), raw_key: rawKey } };
      },
    },
    {
      method: "GET",
      path: "/v1/api-keys",
      operationId: "listApiKeys",
      summary: "List the tenant's API keys (never the raw keys)",
      tag: "API keys",
      access: "credential",
      query: PageQuery,
      responses: { 200: "ApiKeyPage" },
      async handler(c) {
        deps.authz.require(caller(c), "org.member.read", { orgId: c.tenantId }, "AUTH-AWfge");
        const limit = (c.query.limit as number | undefined) ?? 50;
        const rows = await apiKeyQueries(deps.db).list(c.tenantId, limit, decodeCursor(c.query.cursor));
        return { status: 200, body: page(rows, limit, view) };
      },
    },
    {
      method: "DELETE",
      path: "/v1/api-keys/{id}",
      operationId: "revokeApiKey",
      summary: "Revoke an API key; it stops working at once",
      tag: "API keys",
      access: "credential",
      responses: { 204: null, 404: "Error" },
      idempotent: true,
      async handler(c) {
        if (
          !(await deps.db.transaction((tx) =>
            revokeApiKey(tx, deps, caller(c), c.tenantId, c.params.id ?? ""),
          ))
        )
          throw notFound("API key");
        return { status: 204 };
      },
    },
    {
      method: "POST",
      path: "/v1/authz/check",
      operationId: "checkAuthorization",
      summary: "What this credential may do to a resource, and which policies say so",
      tag: "Authorization",
      access: "credential",
      body: AuthzCheck,
      responses: { 200: "AuthzDecision", 404: "Error" },
      async handler(c) {
        const b = c.body as { action: string; resource: { type: "user" | "org"; id: string } };
        if (!(ACTIONS as readonly string[]).includes(b.action)) {
          throw validation([{ field: "body.action", message: `must be one of ${ACTIONS.join(", ")}` }]);
        }
        let target: { orgId: string; userId?: string; email?: string; emailVerified?: boolean } = {
          orgId: c.tenantId,
        };
        if (b.resource.type === "user") {
          const user = await userQueries(deps.db).byId(b.resource.id);
          if (!user || user.orgId !== c.tenantId) throw notFound("User", { user_id: b.resource.id });
          target = {
            orgId: user.orgId,
            userId: user.id,
            email: user.email,
            emailVerified: user.emailVerified,
          };
        } else if (b.resource.id !== c.tenantId) throw notFound("Organization", { org_id: b.resource.id });
        const d = deps.authz.decide(caller(c), b.action as Action, target);
        return {
          status: 200,
          body: { decision: d.allowed ? "allow" : "deny", policies: d.policies, notices: d.notices },
        };
      },
    },
  ];
}
