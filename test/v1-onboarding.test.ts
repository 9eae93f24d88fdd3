import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { assertV1Error, callV1, okJson, rest, V1_SURFACES, type V1Call } from "./helpers/clients.ts";
import { codeFrom, type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { tenantWithServiceAccount } from "./helpers/tenants.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { events, eventTypes } from "./helpers/v2-people.ts";

let smtp: SmtpCatcher;
let t: TestApp;
before(async () => {
  smtp = await startSmtpCatcher();
  t = await startTestApp({ config: { smtpUrl: smtp.url } });
});
after(async () => {
  await t?.stop();
  await smtp?.close();
});

const human = (email: string) => ({
  userName: unique("ada"),
  profile: { firstName: "Ada", lastName: "Lovelace" },
  email: { email },
});

/** The end user's side: the tenant API's set-initial-password with a mailed code. */
const setInitialPassword = (orgId: string, userId: string, code: string) =>
  rest(t.baseUrl, "POST", "/v1/auth/set-initial-password", {
    headers: { "x-tenant-id": orgId },
    body: { user_id: userId, code, password: "a first password" },
  });

describe("the seed scenario: v1 creation, init mail, resend to a new address, initialisation", () => {
  for (const surface of V1_SURFACES) {
    test(`${surface}: a service account onboards a person of its organization`, async () => {
      const a = await tenantWithServiceAccount(t);
      const v1 = (call: V1Call) => callV1(surface, t.baseUrl, a.token, undefined, call);
      const first = `${unique("first")}@example.com`;
      const body = human(first);
      const added = okJson(
        await v1({ method: "addHumanUser", request: body, rest: ["POST", "/users/human", body] }),
      );
      const userId = added.userId as string;
      const created = added.details as Record<string, unknown>;
      assert.equal(created.sequence, "2", "user.human.added and the init code");
      assert.equal(created.resourceOwner, a.orgId);
      assert.ok(created.creationDate && !created.changeDate, "a creation answers creationDate only");

      const mail = await smtp.waitFor((m) => m.to.includes(first));
      assert.equal(mail.subject, "Initialize User");
      const oldCode = codeFrom(mail);
      assert.ok(mail.text.includes(`/ui/login/user/init?userID=${userId}&code=${oldCode}&orgID=${a.orgId}`));
      const get: V1Call = {
        method: "getUserByID",
        request: { id: userId },
        rest: ["GET", `/users/${userId}`],
      };
      const initial = okJson(await v1(get)).user as Record<string, unknown>;
      assert.equal(initial.state, "USER_STATE_INITIAL");
      assert.deepEqual((initial.human as Record<string, unknown>).email, { email: first });

      const moved = `${unique("moved")}@example.com`;
      const resend: V1Call = {
        method: "resendHumanInitialization",
        request: { userId, email: moved },
        rest: ["POST", `/users/${userId}/_resend_initialization`, { email: moved }],
      };
      const resent = okJson(await v1(resend)).details as Record<string, unknown>;
      // The worker's `initialization.code.sent` may have come in between.
      const log = await events(t, userId);
      const last = log.filter((e) => e.type === "user.human.initialization.code.added").at(-1);
      assert.equal(resent.sequence, String(last?.sequence), "the sequence of the new init code");
      assert.ok(resent.changeDate && !resent.creationDate);
      const fresh = await smtp.waitFor((m) => m.to.includes(moved));
      const newCode = codeFrom(fresh);
      assert.ok(fresh.text.includes(`code=${newCode}&orgID=${a.orgId}`));

      if (newCode !== oldCode) {
        const refused = await setInitialPassword(a.orgId, userId, oldCode);
        assert.equal(refused.status, 400, JSON.stringify(refused.body));
        assert.equal(refused.body.code, "invalid_code");
      }
      const accepted = await setInitialPassword(a.orgId, userId, newCode);
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));

      const active = okJson(await v1(get)).user as Record<string, unknown>;
      assert.equal(active.state, "USER_STATE_ACTIVE");
      const h = active.human as Record<string, unknown>;
      assert.deepEqual(h.email, { email: moved, isEmailVerified: true });
      assert.ok(h.passwordChanged, "the first password is set");
      assertV1Error(await v1(resend), 400, 9, "User is already initialized", "COMMAND-2M9sd");

      const types = await eventTypes(t, userId);
      assert.deepEqual(types.slice(0, 4), [
        "user.human.added",
        "user.human.initialization.code.added",
        "user.human.email.changed",
        "user.human.initialization.code.added",
      ]);
      assert.deepEqual(types.slice(-3), [
        "user.human.initialization.check.succeeded",
        "user.human.email.verified",
        "user.human.password.changed",
      ]);
    });
  }
});

/** Every v1 user call on a user of another organization, with the answer the spec gives. */
function foreignCalls(
  userId: string,
): { call: V1Call; status: number; code: number; text: string; id: string }[] {
  const byId = (method: string, verb: string, suffix: string): V1Call => ({
    method,
    request: { id: userId },
    rest: [verb, `/users/${userId}${suffix}`, verb === "POST" ? {} : undefined],
  });
  return [
    {
      call: byId("getUserByID", "GET", ""),
      status: 404,
      code: 5,
      text: "User could not be found",
      id: "MANAG-fpo4B",
    },
    {
      call: {
        method: "resendHumanInitialization",
        request: { userId },
        rest: ["POST", `/users/${userId}/_resend_initialization`, {}],
      },
      status: 404,
      code: 5,
      text: "User could not be found",
      id: "COMMAND-2M9df",
    },
    {
      call: {
        method: "resendHumanEmailVerification",
        request: { userId },
        rest: ["POST", `/users/${userId}/email/_resend_verification`, {}],
      },
      status: 404,
      code: 5,
      text: "Email not found",
      id: "COMMAND-0Pe4r",
    },
    {
      call: {
        method: "updateHumanEmail",
        request: { userId, email: "other@example.com" },
        rest: ["PUT", `/users/${userId}/email`, { email: "other@example.com" }],
      },
      status: 400,
      code: 9,
      text: "Email not found",
      id: "COMMAND-0Pe4r",
    },
    {
      call: {
        method: "setHumanInitialPassword",
        request: { userId, password: "a good password" },
        rest: ["POST", `/users/${userId}/password/_initialize`, { password: "a good password" }],
      },
      status: 400,
      code: 9,
      text: "Password not found",
      id: "COMMAND-G8dh3",
    },
    { call: byId("deactivateUser", "POST", "/_deactivate"), ...gone("COMMAND-3M9ds") },
    { call: byId("reactivateUser", "POST", "/_reactivate"), ...gone("COMMAND-4M0sd") },
    { call: byId("lockUser", "POST", "/_lock"), ...gone("COMMAND-5M9fs") },
    { call: byId("unlockUser", "POST", "/_unlock"), ...gone("COMMAND-M0dos") },
    { call: byId("removeUser", "DELETE", ""), ...gone("COMMAND-m9od") },
  ];
}

const gone = (id: string) => ({ status: 404, code: 5, text: "User could not be found", id });

describe("organization scoping (spec §3.1)", () => {
  test("a service account of A gets not-found answers for B's users on every v1 call", async () => {
    const a = await tenantWithServiceAccount(t);
    const b = await tenantWithServiceAccount(t);
    const email = `${unique("b")}@example.com`;
    const created = okJson(
      await callV1("rest", t.baseUrl, b.token, undefined, {
        method: "addHumanUser",
        request: {},
        rest: ["POST", "/users/human", human(email)],
      }),
    );
    const userB = created.userId as string;
    const before = await eventTypes(t, userB);
    for (const surface of V1_SURFACES) {
      for (const row of foreignCalls(userB)) {
        const answer = await callV1(surface, t.baseUrl, a.token, undefined, row.call);
        assertV1Error(answer, row.status, row.code, row.text, row.id);
        // Naming B's organization does not help: A's roles hold only in A.
        const named = await callV1(surface, t.baseUrl, a.token, b.orgId, row.call);
        assertV1Error(named, 404, 5, "membership not found", "AUTHZ-cdgFk");
      }
    }
    assert.deepEqual(await eventTypes(t, userB), before, "nothing happened to B's user");
    const mine = okJson(
      await callV1("grpc", t.baseUrl, b.token, undefined, {
        method: "getUserByID",
        request: { id: userB },
        rest: ["GET", `/users/${userB}`],
      }),
    ).user as Record<string, unknown>;
    assert.equal(mine.state, "USER_STATE_INITIAL");
  });
});
