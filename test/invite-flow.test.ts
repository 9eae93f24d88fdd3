import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ConnectError } from "@connectrpc/connect";
import { ErrorDetailSchema } from "@zitadel/proto/zitadel/message_pb.js";
import { PROTOCOLS, rest, userClient } from "./helpers/clients.ts";
import { codeFrom, type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";

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

describe("invite flow with the official client", () => {
  for (const protocol of PROTOCOLS) {
    test(`${protocol}: create, invite, resend, verify`, async () => {
      const client = userClient(protocol, t.baseUrl, t.adminToken);
      const email = `${unique(protocol)}@example.com`;
      const created = await client.addHumanUser({
        profile: { givenName: "Grace", familyName: "Hopper" },
        email: { email, verification: { case: "isVerified", value: false } },
      });
      assert.ok(created.userId);
      assert.equal(created.details?.sequence, 1n);
      assert.equal(created.details?.resourceOwner, t.defaultOrgId);

      const invited = await client.createInviteCode({
        userId: created.userId,
        verification: {
          case: "sendCode",
          value: {
            urlTemplate: "https://app.example.com/accept?u={{.UserID}}&c={{.Code}}&o={{.OrgID}}",
            applicationName: "Acme",
          },
        },
      });
      assert.equal(invited.details?.sequence, 2n);
      assert.equal(invited.inviteCode, undefined);
      const first = await smtp.waitFor((m) => m.to.includes(email));
      assert.equal(first.subject, "Invitation to Acme");
      const firstCode = codeFrom(first);
      assert.match(firstCode, /^[A-Z0-9]{6}$/);
      assert.ok(
        first.text.includes(
          `https://app.example.com/accept?u=${created.userId}&c=${firstCode}&o=${t.defaultOrgId}`,
        ),
      );

      await client.resendInviteCode({ userId: created.userId });
      const second = await smtp.waitFor((m) => m.to.includes(email) && m !== first);
      assert.equal(second.subject, "Invitation to Acme", "the application name is inherited on resend");
      const secondCode = codeFrom(second);
      assert.ok(
        second.text.includes("https://app.example.com/accept?"),
        "the URL template is inherited on resend",
      );

      if (secondCode !== firstCode) {
        const err = await client
          .verifyInviteCode({ userId: created.userId, verificationCode: firstCode })
          .catch((e) => e);
        assert.ok(err instanceof ConnectError);
        assert.equal(err.rawMessage, "Code is invalid (COMMAND-Wgn4q)");
        assert.equal(err.findDetails(ErrorDetailSchema)[0]?.id, "COMMAND-Wgn4q");
      }
      const verified = await client.verifyInviteCode({
        userId: created.userId,
        verificationCode: secondCode,
      });
      assert.ok(verified.details);

      const got = await client.getUserByID({ userId: created.userId });
      assert.equal(got.user?.type.case, "human");
      if (got.user?.type.case === "human") assert.equal(got.user.type.value.email?.isVerified, true);
    });
  }

  test("REST: create, invite, resend, verify", async () => {
    const email = `${unique("rest")}@example.com`;
    const auth = { token: t.adminToken };
    const created = await rest(t.baseUrl, "POST", "/v2/users/human", {
      ...auth,
      body: { profile: { given_name: "Alan", family_name: "Turing" }, email: { email, is_verified: false } },
    });
    assert.equal(created.status, 200);
    const userId = created.body.userId as string;
    assert.deepEqual(Object.keys(created.body.details as object).sort(), [
      "changeDate",
      "resourceOwner",
      "sequence",
    ]);
    assert.equal((created.body.details as { sequence: string }).sequence, "1");

    const invited = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, { ...auth, body: {} });
    assert.equal(invited.status, 200, JSON.stringify(invited.body));
    const first = await smtp.waitFor((m) => m.to.includes(email));
    assert.equal(first.subject, "Invitation to Usher");
    const firstCode = codeFrom(first);
    assert.ok(
      first.text.includes(`/ui/login/user/invite?userID=${userId}&code=${firstCode}&orgID=${t.defaultOrgId}`),
    );

    const resent = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/resend`, auth);
    assert.equal(resent.status, 200);
    const second = await smtp.waitFor((m) => m.to.includes(email) && m !== first);
    const secondCode = codeFrom(second);
    assert.notEqual(second.messageId, first.messageId);

    if (secondCode !== firstCode) {
      const old = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/verify`, {
        ...auth,
        body: { verificationCode: firstCode },
      });
      assert.equal(old.status, 400);
      assert.equal(old.body.message, "Code is invalid (COMMAND-Wgn4q)");
    }
    const ok = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/verify`, {
      ...auth,
      body: { verification_code: secondCode },
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));

    const got = await rest(t.baseUrl, "GET", `/v2/users/${userId}`, auth);
    assert.equal(got.status, 200);
    const user = got.body.user as { human: { email: { isVerified: boolean } }; state: string };
    assert.equal(user.human.email.isVerified, true);
    assert.equal(user.state, "USER_STATE_ACTIVE");
  });

  test("return_code hands out the code once and mails nothing", async () => {
    const client = userClient("connect", t.baseUrl, t.adminToken);
    const email = `${unique("ret")}@example.com`;
    const { userId } = await client.addHumanUser({
      profile: { givenName: "R", familyName: "C" },
      email: { email, verification: { case: "isVerified", value: false } },
    });
    const res = await client.createInviteCode({ userId, verification: { case: "returnCode", value: {} } });
    assert.match(res.inviteCode ?? "", /^[A-Z0-9]{6}$/);
    // The outbox row would be written in the call's transaction: none now means no mail, ever.
    assert.deepEqual(
      await t.app.db.query("select id from outbox where user_id = $1", [userId]),
      [],
      "a returned code queues no message",
    );
    assert.equal(smtp.mails.filter((m) => m.to.includes(email)).length, 0);
    await client.verifyInviteCode({ userId, verificationCode: res.inviteCode ?? "" });
  });
});
