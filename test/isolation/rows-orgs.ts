import assert from "node:assert/strict";
import type { DescService } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { AdminService } from "@zitadel/proto/zitadel/admin_pb.js";
import { ManagementService } from "@zitadel/proto/zitadel/management_pb.js";
import { OrganizationService } from "@zitadel/proto/zitadel/org/v2/org_service_pb.js";
import { rest } from "../helpers/clients.ts";
import { unique } from "../helpers/test-app.ts";
import {
  authenticated,
  type CallerKind,
  key,
  type Outcome,
  permission,
  type Row,
  type Target,
  type Where,
} from "./matrix-types.ts";

const m = (service: DescService, name: string) => {
  const method = service.methods.find((x) => x.name === name);
  if (!method) throw new Error(`no method ${name}`);
  return key(method);
};

/** What the rows need from the harness: where the server is and the instance admin's token. */
export interface OrgRowsHelpers {
  baseUrl: string;
  adminToken: string;
}

const DENIED: Outcome = { code: Code.PermissionDenied, id: "AUTH-5mWD2" };
const NO_MEMBERSHIP: Outcome = { code: Code.NotFound, id: "AUTHZ-cdgFk" };

const unauthenticated = (kind: CallerKind): Outcome | undefined =>
  kind === "none"
    ? { code: Code.Unauthenticated }
    : kind === "revoked" || kind === "expired"
      ? { code: Code.Unauthenticated, id: "AUTH-7fs1e" }
      : undefined;

/**
 * Permissions only owners hold (`org.member.*`): IAM_OWNER everywhere, ORG_OWNER at home; other
 * organization roles at home are refused with `AUTH-5mWD2`. `selfHasRole` when the row's setup
 * gave the target a role in its own organization.
 */
function owners(selfHasRole = false) {
  return (kind: CallerKind, where: Where): Outcome => {
    const auth = unauthenticated(kind);
    if (auth) return auth;
    if (kind === "instanceOwner") return "ok";
    if (kind === "orgAOwner") return where === "A" ? "ok" : NO_MEMBERSHIP;
    if (kind === "orgBOwner") return where === "B" ? "ok" : NO_MEMBERSHIP;
    if (kind === "orgAManager" || kind === "orgAViewer") return where === "A" ? DENIED : NO_MEMBERSHIP;
    return selfHasRole ? DENIED : NO_MEMBERSHIP;
  };
}

/** Instance-level permissions (`org.create`, `iam.member.*`), checked in the caller's own organization. */
function instanceOnly(selfHasRole = false) {
  return (kind: CallerKind): Outcome => {
    const auth = unauthenticated(kind);
    if (auth) return auth;
    if (kind === "instanceOwner") return "ok";
    if (kind === "self") return selfHasRole ? DENIED : NO_MEMBERSHIP;
    return DENIED;
  };
}

/**
 * Rows for `zitadel.org.v2.OrganizationService`, the organization part of
 * `zitadel.management.v1.ManagementService` and `zitadel.admin.v1.AdminService`. v1 calls name
 * the target's organization in `x-zitadel-orgid`.
 */
export function orgAndAccountRows(h: OrgRowsHelpers): Record<string, Row> {
  const admin = async (method: string, path: string, orgId?: string, body: unknown = {}) => {
    const headers: Record<string, string> = orgId ? { "x-zitadel-orgid": orgId } : {};
    const res = await rest(h.baseUrl, method, path, { token: h.adminToken, headers, body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const inOrg = (t: Target) => ({ "x-zitadel-orgid": t.orgId });
  const machineWithToken = async (t: Target) => {
    const machine = await admin("POST", "/management/v1/users/machine", t.orgId, {
      userName: unique("svc"),
      name: "Service",
    });
    t.extra.machineId = machine.userId as string;
    const pat = await admin("POST", `/management/v1/users/${t.extra.machineId}/pats`, t.orgId);
    t.extra.tokenId = pat.tokenId as string;
  };
  const member = async (t: Target) => {
    await admin("POST", "/management/v1/orgs/me/members", t.orgId, {
      userId: t.userId,
      roles: ["ORG_USER_VIEWER"],
    });
  };
  const iamMember = async (t: Target) => {
    await admin("POST", "/admin/v1/members", undefined, { userId: t.userId, roles: ["IAM_OWNER_VIEWER"] });
  };
  const mgmt = (name: string) => m(ManagementService, name);
  return {
    [m(OrganizationService, "AddOrganization")]: {
      request: () => ({ name: unique("Matrix org") }),
      expect: instanceOnly(),
    },
    [m(OrganizationService, "ListOrganizations")]: { request: () => ({}), expect: authenticated() },
    [mgmt("GetMyOrg")]: { headers: inOrg, request: () => ({}), expect: permission("read", "AUTH-5mWD2") },
    [mgmt("AddMachineUser")]: {
      headers: inOrg,
      request: () => ({ userName: unique("svc"), name: "Service" }),
      expect: permission("write", "AUTH-5mWD2"),
    },
    [mgmt("AddPersonalAccessToken")]: {
      setup: machineWithToken,
      headers: inOrg,
      request: (t) => ({ userId: t.extra.machineId }),
      expect: permission("write", "AUTH-5mWD2"),
    },
    [mgmt("ListPersonalAccessTokens")]: {
      setup: machineWithToken,
      headers: inOrg,
      request: (t) => ({ userId: t.extra.machineId }),
      expect: permission("read", "AUTH-5mWD2"),
    },
    [mgmt("RemovePersonalAccessToken")]: {
      setup: machineWithToken,
      headers: inOrg,
      request: (t) => ({ userId: t.extra.machineId, tokenId: t.extra.tokenId }),
      expect: permission("write", "AUTH-5mWD2"),
    },
    [mgmt("ListOrgMembers")]: { headers: inOrg, request: () => ({}), expect: owners() },
    [mgmt("AddOrgMember")]: {
      headers: inOrg,
      request: (t) => ({ userId: t.userId, roles: ["ORG_USER_VIEWER"] }),
      expect: owners(),
    },
    [mgmt("UpdateOrgMember")]: {
      setup: member,
      headers: inOrg,
      request: (t) => ({ userId: t.userId, roles: ["ORG_OWNER_VIEWER"] }),
      expect: owners(true),
    },
    [mgmt("RemoveOrgMember")]: {
      setup: member,
      headers: inOrg,
      request: (t) => ({ userId: t.userId }),
      expect: owners(true),
    },
    [m(AdminService, "ListIAMMembers")]: { request: () => ({}), expect: instanceOnly() },
    [m(AdminService, "ListEvents")]: { request: (t) => ({ aggregateId: t.userId }), expect: instanceOnly() },
    [m(AdminService, "ListEventTypes")]: { request: () => ({}), expect: instanceOnly() },
    [m(AdminService, "ListAggregateTypes")]: { request: () => ({}), expect: instanceOnly() },
    [m(AdminService, "AddIAMMember")]: {
      request: (t) => ({ userId: t.userId, roles: ["IAM_OWNER_VIEWER"] }),
      expect: instanceOnly(),
    },
    [m(AdminService, "UpdateIAMMember")]: {
      setup: iamMember,
      request: (t) => ({ userId: t.userId, roles: ["IAM_USER_MANAGER"] }),
      expect: instanceOnly(true),
    },
    [m(AdminService, "RemoveIAMMember")]: {
      setup: iamMember,
      request: (t) => ({ userId: t.userId }),
      expect: instanceOnly(true),
    },
  };
}
