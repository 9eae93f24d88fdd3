import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "@zitadel/proto/zitadel/message_pb.js";
import { adminClient, managementClient, orgClient, rest } from "./helpers/clients.ts";
import { as, tenantWithServiceAccount } from "./helpers/tenants.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.stop();
});

type Res = { status: number; body: Record<string, unknown> };

/** A ZITADEL error on REST: status, gRPC code and `<text> (<id>)`, with one ErrorDetail. */
function assertError(res: Res, status: number, code: Code, message: string, id: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.code, code);
  assert.equal(res.body.message, `${message} (${id})`);
  assert.equal((res.body.details as Array<{ id?: string }>)[0]?.id, id);
}

/** The code and ZITADEL id of a rejected client call. */
async function rejection(call: Promise<unknown>): Promise<[Code, string | undefined]> {
  const err = await call.then(
    () => assert.fail("the call succeeded"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ConnectError, String(err));
  return [err.code, err.findDetails(ErrorDetailSchema)[0]?.id];
}

const admin = () => as(t.adminToken);

describe("AddOrganization", () => {
  test("a taken name (in any case) → 409 V3-DKcYh; a blank name → 400 ORG-mruNY", async () => {
    const name = unique("Taken");
    assert.equal(
      (await rest(t.baseUrl, "POST", "/v2/organizations", { ...admin(), body: { name } })).status,
      200,
    );
    const again = await rest(t.baseUrl, "POST", "/v2/organizations", {
      ...admin(),
      body: { name: name.toUpperCase() },
    });
    assertError(again, 409, Code.AlreadyExists, "Organisation's name or id already taken", "V3-DKcYh");
    const blank = await rest(t.baseUrl, "POST", "/v2/organizations", { ...admin(), body: { name: "   " } });
    assertError(blank, 400, Code.InvalidArgument, "Errors.Invalid.Argument", "ORG-mruNY");
  });

  test("an own organization id that is taken → 409 V3-DKcYh; an unknown admin → ORG-GoXOn", async () => {
    const body = { name: unique("Own id"), orgId: t.defaultOrgId };
    const taken = await rest(t.baseUrl, "POST", "/v2/organizations", { ...admin(), body });
    assertError(taken, 409, Code.AlreadyExists, "Organisation's name or id already taken", "V3-DKcYh");
    const [code, id] = await rejection(
      orgClient("grpc", t.baseUrl, t.adminToken).addOrganization({
        name: unique("Ghost admin"),
        admins: [{ userType: { case: "userId", value: unique("nobody") } }],
      }),
    );
    assert.deepEqual([code, id], [Code.FailedPrecondition, "ORG-GoXOn"]);
    const none = await orgClient("grpc", t.baseUrl, t.adminToken).listOrganizations({
      queries: [{ query: { case: "nameQuery", value: { name: "Ghost admin", method: 2 } } }],
    });
    assert.equal(none.details?.totalResult, 0n, "nothing of a refused organization remains");
  });
});

describe("organization members", () => {
  test("duplicate, unknown user, unknown role, update and remove", async () => {
    const b = await tenantWithServiceAccount(t);
    const path = "/management/v1/orgs/me/members";
    const dup = await rest(t.baseUrl, "POST", path, {
      ...as(t.adminToken, b.orgId),
      body: { userId: b.machineId, roles: ["ORG_OWNER"] },
    });
    assertError(dup, 409, Code.AlreadyExists, "Errors.Org.Member.AlreadyExists", "ORG-poWwe");
    const ghost = await rest(t.baseUrl, "POST", path, {
      ...as(t.adminToken, b.orgId),
      body: { userId: unique("nobody"), roles: ["ORG_OWNER"] },
    });
    assertError(ghost, 400, Code.FailedPrecondition, "User could not be found", "ORG-GoXOn");
    const role = await rest(t.baseUrl, "POST", path, {
      ...as(t.adminToken, b.orgId),
      body: { userId: b.machineId, roles: ["ORG_EMPEROR"] },
    });
    assertError(role, 400, Code.InvalidArgument, "Errors.Org.MemberInvalid", "Org-4N8es");

    const mgmt = managementClient("grpc", t.baseUrl, t.adminToken, b.orgId);
    assert.deepEqual(
      await rejection(mgmt.updateOrgMember({ userId: t.defaultOrgId, roles: ["ORG_OWNER"] })),
      [Code.NotFound, "Org-D8JxR"],
    );
    const changed = await mgmt.updateOrgMember({ userId: b.machineId, roles: ["ORG_USER_VIEWER"] });
    assert.equal(changed.details?.sequence, 6n);
    const same = await mgmt.updateOrgMember({ userId: b.machineId, roles: ["ORG_USER_VIEWER"] });
    assert.equal(same.details?.sequence, 6n, "unchanged roles write nothing");
    const create = await rest(t.baseUrl, "POST", "/v2/users/human", {
      ...as(b.token),
      body: { profile: { givenName: "A", familyName: "B" }, email: { email: `${unique("v")}@example.com` } },
    });
    assert.equal(create.status, 403, "a viewer may not create users");

    const removed = await rest(t.baseUrl, "DELETE", `${path}/${b.machineId}`, as(t.adminToken, b.orgId));
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.equal((removed.body.details as { sequence: string }).sequence, "7");
    const again = await rest(t.baseUrl, "DELETE", `${path}/${b.machineId}`, as(t.adminToken, b.orgId));
    assert.equal(again.status, 200, "removing a non-member is not an error");
    const list = await managementClient("connect", t.baseUrl, t.adminToken, b.orgId).listOrgMembers({});
    assert.equal(list.details?.totalResult, 0n);
    const lost = await rest(t.baseUrl, "GET", "/management/v1/orgs/me", as(b.token));
    assertError(lost, 404, Code.NotFound, "membership not found", "AUTHZ-cdgFk");
  });
});

describe("personal access tokens", () => {
  test("only for machine users of the context organization, never in the past", async () => {
    const b = await tenantWithServiceAccount(t);
    const pats = (userId: string) => `/management/v1/users/${userId}/pats`;
    const ghost = await rest(t.baseUrl, "POST", pats(unique("nobody")), {
      ...as(t.adminToken, b.orgId),
      body: {},
    });
    assertError(ghost, 400, Code.FailedPrecondition, "User could not be found", "COMMAND-Dggw2");
    const elsewhere = await rest(t.baseUrl, "POST", pats(b.machineId), { ...admin(), body: {} });
    assertError(elsewhere, 400, Code.FailedPrecondition, "User could not be found", "COMMAND-Dggw2");
    const human = await createUser(t.baseUrl, b.token);
    const person = await rest(t.baseUrl, "POST", pats(human.userId), {
      ...as(t.adminToken, b.orgId),
      body: {},
    });
    assertError(person, 400, Code.FailedPrecondition, "Not allowed for this user type", "COMMAND-Df2f1");
    const past = await rest(t.baseUrl, "POST", pats(b.machineId), {
      ...as(t.adminToken, b.orgId),
      body: { expirationDate: "2020-01-01T00:00:00Z" },
    });
    assertError(past, 400, Code.InvalidArgument, "Errors.AuthNKey.ExpireBeforeNow", "DOMAIN-dv3t5");
  });

  test("a removed token stops working at once; removing it again → 404 COMMAND-4m77G", async () => {
    const b = await tenantWithServiceAccount(t);
    const me = () => rest(t.baseUrl, "GET", "/management/v1/orgs/me", as(b.token));
    assert.equal((await me()).status, 200);
    const url = `/management/v1/users/${b.machineId}/pats/${b.pat.body.tokenId as string}`;
    const removed = await rest(t.baseUrl, "DELETE", url, as(t.adminToken, b.orgId));
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assertError(await me(), 401, Code.Unauthenticated, "Errors.Token.Invalid", "AUTH-7fs1e");
    const again = await rest(t.baseUrl, "DELETE", url, as(t.adminToken, b.orgId));
    assertError(again, 404, Code.NotFound, "Personal Access Token not found", "COMMAND-4m77G");
    const events = await t.app.db.query<{ type: string }>(
      "select type from events where aggregate_id = $1 order by sequence",
      [b.machineId],
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ["user.machine.added", "user.personal.access.token.added", "user.personal.access.token.removed"],
    );
  });

  test("an expired token → 401 AUTH-7fs1e", async () => {
    const b = await tenantWithServiceAccount(t);
    const expiration = new Date(Date.now() + 3_600_000);
    const pat = await managementClient("grpc", t.baseUrl, t.adminToken, b.orgId).addPersonalAccessToken({
      userId: b.machineId,
      expirationDate: { seconds: BigInt(Math.floor(expiration.getTime() / 1000)), nanos: 0 },
    });
    const me = () => rest(t.baseUrl, "GET", "/management/v1/orgs/me", as(pat.token));
    assert.equal((await me()).status, 200);
    t.advance(2 * 3_600_000);
    try {
      assertError(await me(), 401, Code.Unauthenticated, "Errors.Token.Invalid", "AUTH-7fs1e");
    } finally {
      t.advance(-2 * 3_600_000);
    }
  });

  test("a taken machine username → 409 V3-DKcYh", async () => {
    const userName = unique("svc");
    const mgmt = managementClient("grpc", t.baseUrl, t.adminToken);
    await mgmt.addMachineUser({ userName, name: "One" });
    assert.deepEqual(await rejection(mgmt.addMachineUser({ userName, name: "Two" })), [
      Code.AlreadyExists,
      "V3-DKcYh",
    ]);
  });
});

describe("instance members (AdminService)", () => {
  test("an IAM_USER_MANAGER acts in every organization until removed", async () => {
    const b = await tenantWithServiceAccount(t);
    const iam = adminClient("grpc", t.baseUrl, t.adminToken);
    const person = () =>
      rest(t.baseUrl, "POST", "/v2/users/human", {
        ...as(b.token, t.defaultOrgId),
        body: {
          profile: { givenName: "I", familyName: "M" },
          email: { email: `${unique("iam")}@example.com` },
        },
      });
    assert.equal((await person()).status, 404, "no role on the default organization yet");
    const added = await iam.addIAMMember({ userId: b.machineId, roles: ["IAM_USER_MANAGER"] });
    assert.ok(added.details?.creationDate);
    assert.equal((await person()).status, 200);
    assert.deepEqual(
      await rejection(iam.addIAMMember({ userId: b.machineId, roles: ["IAM_USER_MANAGER"] })),
      [Code.AlreadyExists, "INSTA-pFDwe"],
    );
    assert.deepEqual(await rejection(iam.addIAMMember({ userId: b.machineId, roles: ["IAM_EMPEROR"] })), [
      Code.InvalidArgument,
      "INSTANCE-4m0fS",
    ]);
    const listed = await rest(t.baseUrl, "POST", "/admin/v1/members/_search", { ...admin(), body: {} });
    const ids = (listed.body.result as Array<{ userId: string }>).map((m) => m.userId);
    assert.ok(ids.includes(b.machineId));
    const removed = await rest(t.baseUrl, "DELETE", `/admin/v1/members/${b.machineId}`, admin());
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.equal((await person()).status, 404, "the instance role is gone at once");
  });
});
