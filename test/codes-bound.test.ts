// Codes are bound to what they were issued for (SECURITY.md, invariant 1): the user, the kind and
// the address they were sent to. A change of address on any surface voids every outstanding code;
// a check of one code is serialised on its row, so it succeeds at most once and every parallel
// guess counts against the attempt limit.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { linkFrom } from "./helpers/browser.ts";
import { rest } from "./helpers/clients.ts";
import { getPage, linkFields, postForm } from "./helpers/form-client.ts";
import { apiUser } from "./helpers/pages.ts";
import { type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { freePort, startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

const INVITE = "/ui/login/user/invite";
const INIT = "/ui/login/user/init";
const PASSWORD = { password: "correct horse battery", password2: "correct horse battery" };

let smtp: SmtpCatcher;
let t: TestApp;
before(async () => {
  smtp = await startSmtpCatcher();
  t = await startTestApp({ config: { smtpUrl: smtp.url, throttleEnabled: false, codeMaxAttempts: 3 } });
});
after(async () => {
  await t?.stop();
  await smtp?.close();
});

const admin = () => ({ token: t.adminToken });

async function mailedLink(email: string, path: string): Promise<string> {
  return linkFrom(await smtp.waitFor((m) => m.to.includes(email)), path);
}

/** Posts a page's form with a link's fields, as the person holding that mail would. */
async function acceptWithLink(link: string, path: string) {
  const page = await getPage(link);
  assert.equal(page.status, 200, page.html);
  return postForm(
    new URL(path, link).toString(),
    { ...linkFields(link), ...PASSWORD, form_token: page.token ?? "", action: "submit" },
    { cookie: page.cookie ?? "" },
  );
}

async function returnedInviteCode(userId: string): Promise<string> {
  const res = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
    ...admin(),
    body: { returnCode: {} },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.inviteCode as string;
}

const verifyInvite = (userId: string, code: string) =>
  rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/verify`, {
    ...admin(),
    body: { verificationCode: code },
  });

describe("a change of address voids the codes sent to the old one", () => {
  test("the stale invite link from the old mailbox no longer sets a password (v2 SetEmail, sendCode)", async () => {
    const { userId, email } = await createUser(t.baseUrl, t.adminToken);
    const sent = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
      ...admin(),
      body: { sendCode: {} },
    });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const staleLink = await mailedLink(email, INVITE);

    const moved = `${unique("new")}@example.com`;
    const changed = await rest(t.baseUrl, "POST", `/v2/users/${userId}/email`, {
      ...admin(),
      body: { email: moved, sendCode: {} },
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));

    const done = await acceptWithLink(staleLink, INVITE);
    assert.notEqual(done.status, 303, "the old mailbox's invite must not be accepted");
    assert.deepEqual(await apiUser(t, userId), {
      state: "USER_STATE_ACTIVE",
      emailVerified: false,
      passwordSet: false,
      passwordChangeRequired: false,
    });
    const verified = await verifyInvite(userId, linkFields(staleLink).code);
    assert.equal(verified.status, 400, "nor through VerifyInviteCode");
  });

  // Each surface that changes an address: what it takes to move the user to `moved`.
  const surfaces: [string, (userId: string, moved: string) => Promise<{ status: number; body: unknown }>][] =
    [
      [
        "v2 UpdateHumanUser",
        (id, moved) =>
          rest(t.baseUrl, "PUT", `/v2/users/human/${id}`, {
            ...admin(),
            body: { email: { email: moved, returnCode: {} } },
          }),
      ],
      [
        "v2 SetEmail",
        (id, moved) =>
          rest(t.baseUrl, "POST", `/v2/users/${id}/email`, {
            ...admin(),
            body: { email: moved, returnCode: {} },
          }),
      ],
      [
        "management UpdateHumanEmail",
        (id, moved) =>
          rest(t.baseUrl, "PUT", `/management/v1/users/${id}/email`, { ...admin(), body: { email: moved } }),
      ],
    ];
  for (const [name, move] of surfaces) {
    test(`${name} voids the invite code and the password-reset code`, async () => {
      const { userId } = await createUser(t.baseUrl, t.adminToken);
      const invite = await returnedInviteCode(userId);
      const reset = await rest(t.baseUrl, "POST", `/v2/users/${userId}/password_reset`, {
        ...admin(),
        body: { returnCode: {} },
      });
      assert.equal(reset.status, 200, JSON.stringify(reset.body));

      const res = await move(userId, `${unique("moved")}@example.com`);
      assert.equal(res.status, 200, JSON.stringify(res.body));

      assert.equal((await verifyInvite(userId, invite)).status, 400, "the old invite code is void");
      const setPassword = await rest(t.baseUrl, "POST", `/v2/users/${userId}/password`, {
        ...admin(),
        body: {
          newPassword: { password: "correct horse battery" },
          verificationCode: reset.body.verificationCode,
        },
      });
      assert.equal(
        setPassword.status,
        400,
        `the old reset code is void: ${JSON.stringify(setPassword.body)}`,
      );
      assert.equal((await apiUser(t, userId)).passwordSet, false);

      // A code issued for the new address works: the refusals above were about the old one.
      const fresh = await returnedInviteCode(userId);
      assert.equal((await verifyInvite(userId, fresh)).status, 200);
    });
  }

  test("v1 ResendHumanInitialization with a new address voids the init link sent to the old one", async () => {
    const email = `${unique("init")}@example.com`;
    const created = await rest(t.baseUrl, "POST", "/management/v1/users/human", {
      ...admin(),
      body: { userName: email, profile: { firstName: "Grace", lastName: "Hopper" }, email: { email } },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const userId = created.body.userId as string;
    const staleLink = await mailedLink(email, INIT);

    const moved = `${unique("init-new")}@example.com`;
    const resent = await rest(t.baseUrl, "POST", `/management/v1/users/${userId}/_resend_initialization`, {
      ...admin(),
      body: { email: moved },
    });
    assert.equal(resent.status, 200, JSON.stringify(resent.body));
    const done = await acceptWithLink(staleLink, INIT);
    assert.notEqual(done.status, 303, "the old init link must not initialise the account");
    assert.equal((await apiUser(t, userId)).passwordSet, false);

    const freshLink = await mailedLink(moved, INIT);
    assert.equal(
      (await acceptWithLink(freshLink, INIT)).status,
      303,
      "the link sent to the new address works",
    );
  });

  test("tenant resend-invite with a corrected address voids the first invite and cancels its message", async () => {
    const key = await rest(t.baseUrl, "POST", "/v1/api-keys", {
      ...admin(),
      headers: { "x-tenant-id": t.defaultOrgId },
      body: { name: "bound codes", roles: ["user_manager"] },
    });
    assert.equal(key.status, 201, JSON.stringify(key.body));
    const tenant = { "x-api-key": key.body.raw_key as string, "x-tenant-id": t.defaultOrgId };
    const wrong = `${unique("typo")}@example.com`;
    const created = await rest(t.baseUrl, "POST", "/v1/users", {
      headers: tenant,
      body: { email: wrong, name: "Ada L" },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const userId = created.body.id as string;
    const staleLink = await mailedLink(wrong, INVITE);

    const right = `${unique("right")}@example.com`;
    const resent = await rest(t.baseUrl, "POST", `/v1/users/${userId}/resend-invite`, {
      headers: tenant,
      body: { email: right },
    });
    assert.equal(resent.status, 200, JSON.stringify(resent.body));
    assert.notEqual((await acceptWithLink(staleLink, INVITE)).status, 303);
    assert.equal((await apiUser(t, userId)).passwordSet, false);
    const freshLink = await mailedLink(right, INVITE);
    assert.equal((await acceptWithLink(freshLink, INVITE)).status, 303);
  });

  test("an undelivered message to the old address is cancelled, its code wiped", async () => {
    // Mail goes to a closed port, so the invite stays undelivered (queued for a retry).
    const down = await startTestApp({ config: { smtpUrl: `smtp://127.0.0.1:${await freePort()}` } });
    try {
      const { userId } = await createUser(down.baseUrl, down.adminToken);
      const auth = { token: down.adminToken };
      const sent = await rest(down.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
        ...auth,
        body: { sendCode: {} },
      });
      assert.equal(sent.status, 200);
      const moved = `${unique("moved")}@example.com`;
      const res = await rest(down.baseUrl, "POST", `/v2/users/${userId}/email`, {
        ...auth,
        body: { email: moved, returnCode: {} },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const rows = await down.app.db.query<{
        status: string;
        secret: string | null;
        last_error: string | null;
      }>("select status, secret, last_error from outbox where user_id = $1 and code_kind = 'invite'", [
        userId,
      ]);
      assert.deepEqual(rows, [{ status: "cancelled", secret: null, last_error: "address changed" }]);
    } finally {
      await down.stop();
    }
  });
});

describe("a code check is serialised on the code", () => {
  test("10 parallel VerifyInviteCode calls with the right code: exactly one succeeds", async () => {
    const { userId } = await createUser(t.baseUrl, t.adminToken);
    const code = await returnedInviteCode(userId);
    const results = await Promise.all(Array.from({ length: 10 }, () => verifyInvite(userId, code)));
    assert.deepEqual(
      results.map((r) => r.status).sort(),
      [200, ...Array(9).fill(400)],
      JSON.stringify(results.map((r) => r.body)),
    );
  });

  test("10 parallel VerifyEmail calls with the right code: exactly one succeeds", async () => {
    const email = `${unique("verify")}@example.com`;
    const created = await rest(t.baseUrl, "POST", "/v2/users/human", {
      ...admin(),
      body: { profile: { givenName: "Ada", familyName: "Lovelace" }, email: { email, returnCode: {} } },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const userId = created.body.userId as string;
    const code = created.body.emailCode as string;
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        rest(t.baseUrl, "POST", `/v2/users/${userId}/email/verify`, {
          ...admin(),
          body: { verificationCode: code },
        }),
      ),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, ...Array(9).fill(400)]);
  });

  test("20 parallel wrong guesses against a limit of 3: 3 are counted and the code is dead", async () => {
    const { userId } = await createUser(t.baseUrl, t.adminToken);
    const code = await returnedInviteCode(userId);
    const wrong = code === "AAAAAA" ? "BBBBBB" : "AAAAAA";
    const results = await Promise.all(Array.from({ length: 20 }, () => verifyInvite(userId, wrong)));
    assert.ok(results.every((r) => r.status === 400));
    const rows = await t.app.db.query<{ failed_attempts: number; code_hash: string | null }>(
      "select failed_attempts, code_hash from user_codes where user_id = $1 and kind = 'invite'",
      [userId],
    );
    assert.deepEqual(rows, [{ failed_attempts: 3, code_hash: null }], "exactly 3 guesses met a live code");
    assert.equal((await verifyInvite(userId, code)).status, 400, "the right code no longer works");
  });
});

describe("no cross-tenant oracle on usernames", () => {
  async function tenantKey(orgId: string): Promise<Record<string, string>> {
    const key = await rest(t.baseUrl, "POST", "/v1/api-keys", {
      ...admin(),
      headers: { "x-tenant-id": orgId },
      body: { name: "tenant", roles: ["user_manager"] },
    });
    assert.equal(key.status, 201, JSON.stringify(key.body));
    return { "x-api-key": key.body.raw_key as string, "x-tenant-id": orgId };
  }
  async function newOrg(): Promise<string> {
    const res = await rest(t.baseUrl, "POST", "/v2/organizations", {
      ...admin(),
      body: { name: unique("Org") },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.organizationId as string;
  }

  test("tenant B can onboard an address tenant A already has, and learns nothing", async () => {
    const a = await tenantKey(await newOrg());
    const b = await tenantKey(await newOrg());
    const email = `${unique("shared")}@example.com`;
    const first = await rest(t.baseUrl, "POST", "/v1/users", {
      headers: a,
      body: { email, send_invite: false },
    });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    const second = await rest(t.baseUrl, "POST", "/v1/users", {
      headers: b,
      body: { email, send_invite: false },
    });
    assert.equal(second.status, 201, JSON.stringify(second.body));
    const again = await rest(t.baseUrl, "POST", "/v1/users", {
      headers: b,
      body: { email, send_invite: false },
    });
    assert.equal(again.status, 409, "within one tenant the address is still taken");
  });

  test("a ZITADEL-surface username does not block a tenant, nor a tenant's the ZITADEL surface", async () => {
    const orgA = await newOrg();
    const b = await tenantKey(await newOrg());
    const zitadelName = `${unique("z")}@example.com`;
    const made = await createUser(t.baseUrl, t.adminToken, {
      username: zitadelName,
      organization: { orgId: orgA },
    });
    assert.ok(made.userId);
    const tenantMade = await rest(t.baseUrl, "POST", "/v1/users", {
      headers: b,
      body: { email: zitadelName, send_invite: false },
    });
    assert.equal(tenantMade.status, 201, JSON.stringify(tenantMade.body));

    const tenantName = `${unique("t")}@example.com`;
    const c = await tenantKey(await newOrg());
    assert.equal(
      (
        await rest(t.baseUrl, "POST", "/v1/users", {
          headers: c,
          body: { email: tenantName, send_invite: false },
        })
      ).status,
      201,
    );
    const onZitadel = await createUser(t.baseUrl, t.adminToken, {
      username: tenantName,
      organization: { orgId: orgA },
    });
    assert.ok(onZitadel.userId, "a tenant's username is not instance-wide");
  });

  test("the ZITADEL surface keeps ZITADEL's instance-wide usernames", async () => {
    const name = unique("dup");
    const orgA = await newOrg();
    const orgB = await newOrg();
    await createUser(t.baseUrl, t.adminToken, { username: name, organization: { orgId: orgA } });
    const res = await rest(t.baseUrl, "POST", "/v2/users/human", {
      ...admin(),
      headers: { "x-zitadel-orgid": orgB },
      body: {
        username: name,
        profile: { givenName: "Ada", familyName: "Lovelace" },
        email: { email: `${unique("e")}@example.com` },
      },
    });
    assert.equal(res.status, 409, JSON.stringify(res.body));
  });
});
