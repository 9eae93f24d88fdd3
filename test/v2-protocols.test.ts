import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code } from "@connectrpc/connect";
import { UserState } from "@zitadel/proto/zitadel/user/v2/user_pb.js";
import { PROTOCOLS, rest, userClient } from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { assertRestError, assertRpcError } from "./helpers/v2-people.ts";

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.stop();
});

describe("the v2 user lifecycle with the official client", () => {
  for (const protocol of PROTOCOLS) {
    test(`${protocol}: every lifecycle method`, async () => {
      const client = userClient(protocol, t.baseUrl, t.adminToken);
      const { userId } = await client.addHumanUser({
        profile: { givenName: "Grace", familyName: "Hopper" },
        email: {
          email: `${unique(protocol)}@example.com`,
          verification: { case: "isVerified", value: false },
        },
      });

      const newEmail = `${unique("new")}@example.com`;
      const set = await client.setEmail({
        userId,
        email: newEmail,
        verification: { case: "returnCode", value: {} },
      });
      assert.match(set.verificationCode ?? "", /^[A-Z0-9]{6}$/);
      assert.equal(set.details?.sequence, 3n, "email.changed and email.code.added");
      await client.verifyEmail({ userId, verificationCode: set.verificationCode ?? "" });

      const sent = await client.sendEmailCode({ userId, verification: { case: "returnCode", value: {} } });
      const resent = await client.resendEmailCode({
        userId,
        verification: { case: "returnCode", value: {} },
      });
      assert.notEqual(resent.verificationCode, undefined);
      if (sent.verificationCode !== resent.verificationCode) {
        await assertRpcError(
          client.verifyEmail({ userId, verificationCode: sent.verificationCode ?? "" }),
          Code.InvalidArgument,
          "Code is invalid",
          "COMMAND-eis9R",
        );
      }
      await client.verifyEmail({ userId, verificationCode: resent.verificationCode ?? "" });

      const reset = await client.passwordReset({ userId, medium: { case: "returnCode", value: {} } });
      await client.setPassword({
        userId,
        newPassword: { password: "first password 1", changeRequired: true },
        verification: { case: "verificationCode", value: reset.verificationCode ?? "" },
      });
      let got = await client.getUserByID({ userId });
      assert.equal(got.user?.type.case === "human" && got.user.type.value.passwordChangeRequired, true);
      await client.setPassword({
        userId,
        newPassword: { password: "second password 2", changeRequired: false },
        verification: { case: "currentPassword", value: "first password 1" },
      });
      await client.setPassword({
        userId,
        newPassword: { password: "third password 3", changeRequired: false },
      });

      const username = unique("grace");
      await client.updateHumanUser({
        userId,
        username,
        profile: { givenName: "Grace B.", familyName: "Hopper", displayName: "Amazing Grace" },
      });
      got = await client.getUserByID({ userId });
      assert.equal(got.user?.username, username);
      assert.equal(
        got.user?.type.case === "human" && got.user.type.value.profile?.displayName,
        "Amazing Grace",
      );

      for (const [call, state] of [
        [() => client.lockUser({ userId }), UserState.LOCKED],
        [() => client.unlockUser({ userId }), UserState.ACTIVE],
        [() => client.deactivateUser({ userId }), UserState.INACTIVE],
        [() => client.reactivateUser({ userId }), UserState.ACTIVE],
      ] as const) {
        assert.ok((await call()).details);
        assert.equal((await client.getUserByID({ userId })).user?.state, state);
      }

      const list = await client.listUsers({
        queries: [{ query: { case: "inUserIdsQuery", value: { userIds: [userId] } } }],
      });
      assert.equal(list.details?.totalResult, 1n);
      assert.equal(list.result[0]?.userId, userId);

      const deleted = await client.deleteUser({ userId });
      assert.ok(deleted.details?.sequence);
      await assertRpcError(
        client.getUserByID({ userId }),
        Code.NotFound,
        "User could not be found",
        "QUERY-Dfbg2",
      );
    });
  }

  test("REST: every lifecycle path", async () => {
    const auth = { token: t.adminToken };
    const created = await rest(t.baseUrl, "POST", "/v2/users/human", {
      ...auth,
      body: {
        profile: { givenName: "Alan", familyName: "Turing" },
        email: { email: `${unique("rest")}@example.com` },
      },
    });
    const userId = created.body.userId as string;
    const ok = async (method: string, path: string, body?: unknown) => {
      const res = await rest(t.baseUrl, method, path, { ...auth, body });
      assert.equal(res.status, 200, `${method} ${path}: ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const set = await ok("POST", `/v2/users/${userId}/email`, {
      email: `${unique("r")}@example.com`,
      returnCode: {},
    });
    await ok("POST", `/v2/users/${userId}/email/verify`, { verificationCode: set.verificationCode });
    await ok("POST", `/v2/users/${userId}/email/send`, { return_code: {} });
    const resent = await ok("POST", `/v2/users/${userId}/email/resend`, { returnCode: {} });
    await ok("POST", `/v2/users/${userId}/email/verify`, { verification_code: resent.verificationCode });
    const reset = await ok("POST", `/v2/users/${userId}/password_reset`, { returnCode: {} });
    await ok("POST", `/v2/users/${userId}/password`, {
      newPassword: { password: "rest password 1", changeRequired: true },
      verificationCode: reset.verificationCode,
    });
    const user = (await ok("GET", `/v2/users/${userId}`)).user as { human: Record<string, unknown> };
    assert.equal(user.human.passwordChangeRequired, true);
    assert.match(String(user.human.passwordChanged), /^\d{4}-\d\d-\d\dT/);
    await ok("PUT", `/v2/users/human/${userId}`, { profile: { givenName: "Alan M.", familyName: "Turing" } });
    for (const step of ["lock", "unlock", "deactivate", "reactivate"])
      await ok("POST", `/v2/users/${userId}/${step}`, {});
    const list = await ok("POST", "/v2/users", { queries: [{ inUserIdsQuery: { userIds: [userId] } }] });
    assert.deepEqual(list.details && (list.details as { totalResult: string }).totalResult, "1");
    assert.equal((list.result as Array<{ userId: string }>)[0]?.userId, userId);
    const deleted = await ok("DELETE", `/v2/users/${userId}`);
    assert.deepEqual(Object.keys(deleted.details as object).sort(), [
      "changeDate",
      "resourceOwner",
      "sequence",
    ]);
    assertRestError(
      await rest(t.baseUrl, "GET", `/v2/users/${userId}`, auth),
      404,
      5,
      "User could not be found",
      "QUERY-Dfbg2",
    );
  });
});
