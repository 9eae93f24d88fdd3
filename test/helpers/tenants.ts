import assert from "node:assert/strict";
import { managementClient, orgClient, rest } from "./clients.ts";
import { type TestApp, unique } from "./test-app.ts";

/** Bearer token and, when given, `x-zitadel-orgid` for a REST call. */
export function as(token: string, orgId?: string): { token: string; headers: Record<string, string> } {
  return { token, headers: orgId ? { "x-zitadel-orgid": orgId } : {} };
}

/**
 * Onboards a tenant as an instance admin would: a new organization (v2 AddOrganization over
 * gRPC), a machine user in it (v1 REST with `x-zitadel-orgid`), made ORG_USER_MANAGER (v1
 * gRPC) and given a personal access token (v1 REST).
 */
export async function tenantWithServiceAccount(t: TestApp, role = "ORG_USER_MANAGER") {
  const name = unique("Tenant B");
  const added = await orgClient("grpc", t.baseUrl, t.adminToken).addOrganization({ name });
  const orgId = added.organizationId;
  const machine = await rest(t.baseUrl, "POST", "/management/v1/users/machine", {
    ...as(t.adminToken, orgId),
    body: { userName: unique("onboarding-bot"), name: "Onboarding bot", description: "creates users" },
  });
  assert.equal(machine.status, 200, JSON.stringify(machine.body));
  const machineId = machine.body.userId as string;
  const mgmt = managementClient("grpc", t.baseUrl, t.adminToken, orgId);
  const member = await mgmt.addOrgMember({ userId: machineId, roles: [role] });
  const pat = await rest(t.baseUrl, "POST", `/management/v1/users/${machineId}/pats`, {
    ...as(t.adminToken, orgId),
    body: {},
  });
  assert.equal(pat.status, 200, JSON.stringify(pat.body));
  return { name, orgId, added, machine, machineId, member, pat, token: pat.body.token as string };
}
