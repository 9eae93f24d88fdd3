import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "@zitadel/proto/zitadel/message_pb.js";
import { managementClient, orgClient, rest, userClient } from "./helpers/clients.ts";
import { as, tenantWithServiceAccount } from "./helpers/tenants.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.stop();
});

describe("a service account of a new organization onboards people", () => {
  test("AddOrganization → AddMachineUser → AddOrgMember → PAT → create, invite, resend", async () => {
    const b = await tenantWithServiceAccount(t);
    assert.equal(b.added.details?.resourceOwner, b.orgId);
    assert.equal(b.added.details?.sequence, 4n, "org.added and the three primary-domain events");
    assert.deepEqual(b.added.createdAdmins, []);
    assert.equal((b.machine.body.details as Record<string, unknown>).resourceOwner, b.orgId);
    assert.equal(b.member.details?.sequence, 5n);
    assert.equal(b.member.details?.resourceOwner, b.orgId);
    assert.ok(b.member.details?.creationDate, "AddOrgMember answers a creation date");
    assert.match(b.token, /^usher_pat_/);

    // With the service account's own token: no org header, its organization is the context.
    const email = `${unique("newcomer")}@example.com`;
    const created = await rest(t.baseUrl, "POST", "/v2/users/human", {
      ...as(b.token),
      body: { profile: { givenName: "Grace", familyName: "Hopper" }, email: { email } },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const userId = created.body.userId as string;
    assert.equal((created.body.details as Record<string, unknown>).resourceOwner, b.orgId);

    const invite = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
      ...as(b.token),
      body: {},
    });
    assert.equal(invite.status, 200, JSON.stringify(invite.body));
    const resendRest = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/resend`, as(b.token));
    assert.equal(resendRest.status, 200, JSON.stringify(resendRest.body));
    const resendGrpc = await userClient("grpc", t.baseUrl, b.token).resendInviteCode({ userId });
    assert.equal(resendGrpc.details?.resourceOwner, b.orgId);

    const orgEvents = await t.app.db.query<{ type: string }>(
      "select type from events where aggregate_id = $1 order by sequence",
      [b.orgId],
    );
    assert.deepEqual(
      orgEvents.map((e) => e.type),
      ["org.added", "org.domain.added", "org.domain.verified", "org.domain.primary.set", "org.member.added"],
    );
    const userEvents = await t.app.db.query<{ type: string; actor: string }>(
      "select type, actor from events where aggregate_id = $1 and type not like '%.sent' order by sequence",
      [userId],
    );
    assert.ok(userEvents.length >= 4);
    assert.ok(
      userEvents.every((e) => e.actor === b.machineId),
      "the service account is the actor",
    );
  });

  test("an organization role holds only in its organization", async () => {
    const b = await tenantWithServiceAccount(t);
    const res = await rest(t.baseUrl, "POST", "/v2/users/human", {
      ...as(b.token, t.defaultOrgId),
      body: { profile: { givenName: "A", familyName: "B" }, email: { email: `${unique("x")}@example.com` } },
    });
    assert.equal(res.status, 404, JSON.stringify(res.body));
    assert.equal(res.body.message, "membership not found (AUTHZ-cdgFk)");
    const err = await orgClient("grpc", t.baseUrl, b.token)
      .addOrganization({ name: unique("Not allowed") })
      .catch((e: unknown) => e);
    assert.ok(err instanceof ConnectError);
    assert.equal(err.code, Code.PermissionDenied);
    assert.equal(err.findDetails(ErrorDetailSchema)[0]?.id, "AUTH-5mWD2");
  });
});

describe("reading organizations, members and tokens", () => {
  test("ListOrganizations shows what the caller may read, with totals", async () => {
    const b = await tenantWithServiceAccount(t);
    const admin = orgClient("connect", t.baseUrl, t.adminToken);
    const byName = await admin.listOrganizations({
      queries: [{ query: { case: "nameQuery", value: { name: b.name.toUpperCase(), method: 1 } } }],
    });
    assert.equal(byName.details?.totalResult, 1n);
    assert.equal(byName.result[0]?.id, b.orgId);
    assert.equal(byName.result[0]?.primaryDomain, `${b.name.toLowerCase().replaceAll(" ", "-")}.localhost`);
    assert.equal(byName.result[0]?.state, 1);
    const all = await admin.listOrganizations({});
    assert.ok((all.details?.totalResult ?? 0n) >= 2n);
    const paged = await admin.listOrganizations({ query: { limit: 1 } });
    assert.equal(paged.result.length, 1);
    assert.equal(paged.details?.totalResult, all.details?.totalResult);
    const byDefault = await admin.listOrganizations({
      queries: [{ query: { case: "defaultQuery", value: {} } }],
    });
    assert.deepEqual(
      byDefault.result.map((o) => o.id),
      [t.defaultOrgId],
    );

    const own = await rest(t.baseUrl, "POST", "/v2/organizations/_search", { ...as(b.token), body: {} });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.deepEqual(own.body.details, {
      totalResult: "1",
      timestamp: (own.body.details as { timestamp: string }).timestamp,
    });
    assert.deepEqual(
      (own.body.result as Array<{ id: string }>).map((o) => o.id),
      [b.orgId],
    );
  });

  test("GetMyOrg, ListOrgMembers and ListPersonalAccessTokens over REST and gRPC-Web", async () => {
    const b = await tenantWithServiceAccount(t);
    const me = await rest(t.baseUrl, "GET", "/management/v1/orgs/me", as(b.token));
    assert.equal(me.status, 200, JSON.stringify(me.body));
    const org = me.body.org as Record<string, unknown>;
    assert.equal(org.id, b.orgId);
    assert.equal(org.name, b.name);
    assert.equal(org.state, "ORG_STATE_ACTIVE");

    const mgmt = managementClient("grpc-web", t.baseUrl, t.adminToken, b.orgId);
    const members = await mgmt.listOrgMembers({});
    assert.equal(members.details?.totalResult, 1n);
    assert.deepEqual(members.result[0]?.roles, ["ORG_USER_MANAGER"]);
    assert.equal(members.result[0]?.userId, b.machineId);
    assert.equal(members.result[0]?.userType, 2);
    assert.equal(members.result[0]?.displayName, "Onboarding bot");

    const tokens = await rest(t.baseUrl, "POST", `/management/v1/users/${b.machineId}/pats/_search`, {
      ...as(t.adminToken, b.orgId),
      body: {},
    });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const [pat] = tokens.body.result as Array<Record<string, unknown>>;
    assert.equal(pat?.id, b.pat.body.tokenId);
    assert.equal(pat?.expirationDate, "9999-12-31T23:59:59Z");
    assert.deepEqual(pat?.scopes, [
      "openid",
      "urn:zitadel:iam:user:metadata",
      "urn:zitadel:iam:user:resourceowner",
    ]);
    assert.ok(!JSON.stringify(tokens.body).includes(b.token), "a token is shown once only");
  });

  test("AddOrganization with admins: a person created with it and an existing user", async () => {
    const existing = await managementClient("grpc", t.baseUrl, t.adminToken).addMachineUser({
      userName: unique("auditor"),
      name: "Auditor",
    });
    const added = await orgClient("grpc", t.baseUrl, t.adminToken).addOrganization({
      name: unique("Tenant C"),
      admins: [
        {
          userType: {
            case: "human",
            value: {
              profile: { givenName: "Ada", familyName: "Admin" },
              email: {
                email: `${unique("ada")}@example.com`,
                verification: { case: "returnCode", value: {} },
              },
            },
          },
        },
        { userType: { case: "userId", value: existing.userId }, roles: ["ORG_USER_VIEWER"] },
      ],
    });
    assert.equal(added.createdAdmins.length, 1);
    assert.match(added.createdAdmins[0]?.emailCode ?? "", /^[A-Z0-9]{6}$/);
    assert.equal(added.details?.sequence, 6n, "four organization events and two memberships");
    const members = await managementClient(
      "grpc",
      t.baseUrl,
      t.adminToken,
      added.organizationId,
    ).listOrgMembers({
      query: { asc: true },
    });
    const roles = new Map(members.result.map((m) => [m.userId, m.roles]));
    assert.deepEqual(roles.get(added.createdAdmins[0]?.userId ?? ""), ["ORG_OWNER"], "the default role");
    assert.deepEqual(roles.get(existing.userId), ["ORG_USER_VIEWER"]);
    assert.equal(roles.size, 2);
  });
});
