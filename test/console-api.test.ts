import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { rest } from "./helpers/clients.ts";
import { consoleSignIn, withCookie } from "./helpers/console.ts";
import { type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

const PASSWORD = "Correct horse 9!";

describe("console sessions through the APIs the console uses", () => {
  let t: TestApp;
  let smtp: SmtpCatcher;
  let initLink = "";
  let viewer: { userId: string; email: string };
  let manager: { userId: string; email: string };
  // Sessions made once: sign-in is throttled per client address (10, then one every 30 s).
  let viewerSession: Awaited<ReturnType<typeof consoleSignIn>>;
  let managerSession: Awaited<ReturnType<typeof consoleSignIn>>;

  before(async () => {
    smtp = await startSmtpCatcher();
    t = await startTestApp({
      config: { smtpUrl: smtp.url, deliveryMaxAttempts: 1 },
      announce: (text) => {
        initLink = /(http\S+\/ui\/login\/user\/init\?\S+)/.exec(text)?.[1] ?? initLink;
      },
    });
    const member = async (role: string) => {
      const u = await createUser(t.baseUrl, t.adminToken, {
        password: { password: PASSWORD, changeRequired: false },
      });
      const added = await rest(t.baseUrl, "POST", "/management/v1/orgs/me/members", {
        token: t.adminToken,
        body: { userId: u.userId, roles: [role] },
      });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      return u;
    };
    viewer = await member("ORG_USER_VIEWER");
    manager = await member("ORG_USER_MANAGER");
    viewerSession = await consoleSignIn(t.baseUrl, viewer.email, PASSWORD);
    managerSession = await consoleSignIn(t.baseUrl, manager.email, PASSWORD);
  });
  after(async () => {
    await t?.stop();
    await smtp?.close();
  });

  test("the first start creates a human admin in INITIAL and shows the link to set its password once", async () => {
    assert.match(initLink, /\/ui\/login\/user\/init\?userID=[^&]+&code=[A-Z0-9]{6}&orgID=/);
    const rows = await t.app.db.query<{ state: number; email: string; roles: string[] }>(
      `select u.state, u.email, m.roles from users u join members m on m.user_id = u.id and m.org_id = ''
        where u.type = 'human'`,
    );
    assert.deepEqual(rows, [{ state: 6, email: "admin@localhost", roles: ["IAM_OWNER"] }]);
    const page = await fetch(initLink);
    assert.equal(page.status, 200);
  });

  test("the users list says who waits for what since when, and filters by it", async () => {
    const headers = withCookie(t.baseUrl, viewerSession, { "x-tenant-id": t.defaultOrgId });
    type Listed = {
      data: Array<{ email: string; waiting_for: string | null; waiting_since: string | null }>;
    };
    const initial = (await (
      await fetch(`${t.baseUrl}/v1/users?status=initial`, { headers })
    ).json()) as Listed;
    assert.deepEqual(
      initial.data.map((u) => [u.email, u.waiting_for]),
      [["admin@localhost", "initialization"]],
    );
    assert.ok(initial.data[0]?.waiting_since);
    // The staff signed up with a password and have not verified their address.
    const unverified = (await (
      await fetch(`${t.baseUrl}/v1/users?status=unverified`, { headers })
    ).json()) as Listed;
    assert.deepEqual(unverified.data.map((u) => u.email).sort(), [manager.email, viewer.email].sort());
    assert.ok(unverified.data.every((u) => u.waiting_for === "email_verification"));
  });

  test("a viewer's session reads but every change is PERMISSION_DENIED by the API itself", async () => {
    const s = viewerSession;
    assert.equal(s.status, 200, JSON.stringify(s.body));
    assert.match(s.cookie, /^usher_console=usher_console_/);
    const headers = withCookie(t.baseUrl, s, { "x-tenant-id": t.defaultOrgId });
    const list = await fetch(`${t.baseUrl}/v1/users`, { headers });
    assert.equal(list.status, 200);
    const invite = await fetch(`${t.baseUrl}/v1/users`, {
      method: "POST",
      headers,
      body: JSON.stringify({ email: `${unique("x")}@example.com` }),
    });
    assert.equal(invite.status, 403, await invite.text());
    const lock = await fetch(`${t.baseUrl}/zitadel.user.v2.UserService/LockUser`, {
      method: "POST",
      headers: withCookie(t.baseUrl, s, { "connect-protocol-version": "1" }),
      body: JSON.stringify({ userId: manager.userId }),
    });
    assert.equal(lock.status, 403);
    assert.equal(((await lock.json()) as { code: string }).code, "permission_denied");
    const resend = await fetch(`${t.baseUrl}/v1/users/${manager.userId}/resend-invite`, {
      method: "POST",
      headers,
      body: "{}",
    });
    assert.equal(resend.status, 403);
  });

  test("a manager's session changes what its role allows", async () => {
    const s = managerSession;
    assert.equal(s.status, 200);
    const invite = await fetch(`${t.baseUrl}/v1/users`, {
      method: "POST",
      headers: withCookie(t.baseUrl, s, { "x-tenant-id": t.defaultOrgId }),
      body: JSON.stringify({ email: `${unique("new")}@example.com` }),
    });
    const created = (await invite.json()) as { email: string };
    assert.equal(invite.status, 201, JSON.stringify(created));
    const email = created.email;
    // The users page searches the start of the name, family name, email or username, in any case.
    const part = email.slice(0, 10).toUpperCase();
    const found = await fetch(`${t.baseUrl}/v1/users?q=${encodeURIComponent(part)}`, {
      headers: withCookie(t.baseUrl, s, { "x-tenant-id": t.defaultOrgId }),
    });
    const emails = ((await found.json()) as { data: Array<{ email: string }> }).data.map((u) => u.email);
    assert.deepEqual(emails, [email]);
  });

  test("a cross-site request with the cookie is refused, and so is one without the anti-CSRF token", async () => {
    const s = managerSession;
    const body = JSON.stringify({ email: `${unique("csrf")}@example.com` });
    const cases: Array<[string, Record<string, string>]> = [
      ["no token", { ...withCookie(t.baseUrl, s, { "x-tenant-id": t.defaultOrgId }), "x-usher-csrf": "" }],
      [
        "wrong token",
        withCookie(t.baseUrl, s, { "x-tenant-id": t.defaultOrgId, "x-usher-csrf": "x".repeat(43) }),
      ],
      [
        "cross-site",
        withCookie(t.baseUrl, s, {
          "x-tenant-id": t.defaultOrgId,
          "sec-fetch-site": "cross-site",
          origin: "https://evil.example",
        }),
      ],
      [
        "foreign origin",
        withCookie(t.baseUrl, s, { "x-tenant-id": t.defaultOrgId, origin: "https://evil.example" }),
      ],
    ];
    for (const [name, headers] of cases) {
      const res = await fetch(`${t.baseUrl}/v1/users`, { method: "POST", headers, body });
      assert.equal(res.status, 403, name);
    }
    const users = await t.app.db.query("select 1 from users where email like 'csrf-%'");
    assert.equal(users.length, 0, "nothing was created");
    // The session cookie carries these attributes on every sign-in.
    const raw = await fetch(`${t.baseUrl}/ui/console/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: t.baseUrl },
      body: JSON.stringify({ loginName: manager.email, password: PASSWORD }),
    });
    assert.match(raw.headers.get("set-cookie") ?? "", /; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const crossSignIn = await fetch(`${t.baseUrl}/ui/console/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example" },
      body: JSON.stringify({ loginName: manager.email, password: PASSWORD }),
    });
    assert.equal(crossSignIn.status, 403);
  });

  test("a user's events and the tenant's deliveries: counts, a failed message's reason, retry by a manager only", async () => {
    const m = managerSession;
    const v = viewerSession;
    const asManager = withCookie(t.baseUrl, m, { "x-tenant-id": t.defaultOrgId });
    const asViewer = withCookie(t.baseUrl, v, { "x-tenant-id": t.defaultOrgId });
    smtp.rejectWith(550, "5.1.1 no such mailbox");
    const email = `${unique("bounce")}@example.com`;
    const created = await fetch(`${t.baseUrl}/v1/users`, {
      method: "POST",
      headers: asManager,
      body: JSON.stringify({ email }),
    });
    assert.equal(created.status, 201);
    const userId = ((await created.json()) as { id: string }).id;
    type Deliveries = {
      counts: Record<string, number>;
      data: Array<{ id: string; user_id: string; status: string; last_error: string | null }>;
    };
    let failed: Deliveries["data"][number] | undefined;
    for (let i = 0; i < 100 && !failed; i++) {
      const res = await fetch(`${t.baseUrl}/v1/deliveries?status=failed`, { headers: asViewer });
      assert.equal(res.status, 200);
      const body = (await res.json()) as Deliveries;
      failed = body.data.find((d) => d.user_id === userId);
      if (failed) assert.ok((body.counts.failed ?? 0) >= 1);
      else await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(failed, "the refused mail is listed as failed");
    assert.match(failed.last_error ?? "", /550/);

    const events = await fetch(`${t.baseUrl}/v1/users/${userId}/events`, { headers: asViewer });
    assert.equal(events.status, 200);
    const types = ((await events.json()) as { data: Array<{ type: string }> }).data.map((e) => e.type);
    assert.deepEqual(types.slice(-2), ["user.human.invite.code.added", "user.human.added"]);

    const byViewer = await fetch(`${t.baseUrl}/v1/deliveries/${failed.id}/retry`, {
      method: "POST",
      headers: asViewer,
    });
    assert.equal(byViewer.status, 403);
    smtp.rejectWith(undefined);
    const retried = await fetch(`${t.baseUrl}/v1/deliveries/${failed.id}/retry`, {
      method: "POST",
      headers: asManager,
    });
    assert.equal(retried.status, 200, await retried.text());
    await smtp.waitFor((mail) => mail.to.includes(email));
    const again = await fetch(`${t.baseUrl}/v1/deliveries/${failed.id}/retry`, {
      method: "POST",
      headers: asManager,
    });
    assert.equal(again.status, 409);
    assert.equal(((await again.json()) as { code: string }).code, "not_failed");
  });

  test("sign-out ends the session at once; an idle session ends by itself", async () => {
    const s = await consoleSignIn(t.baseUrl, manager.email, PASSWORD);
    const headers = withCookie(t.baseUrl, s, { "x-tenant-id": t.defaultOrgId });
    assert.equal((await fetch(`${t.baseUrl}/v1/users`, { headers })).status, 200);
    const out = await fetch(`${t.baseUrl}/ui/console/api/session`, { method: "DELETE", headers });
    assert.equal(out.status, 204);
    assert.equal((await fetch(`${t.baseUrl}/v1/users`, { headers })).status, 401);

    const idle = await consoleSignIn(t.baseUrl, manager.email, PASSWORD);
    const idleHeaders = withCookie(t.baseUrl, idle, { "x-tenant-id": t.defaultOrgId });
    assert.equal((await fetch(`${t.baseUrl}/v1/users`, { headers: idleHeaders })).status, 200);
    t.advance(31 * 60_000);
    assert.equal((await fetch(`${t.baseUrl}/v1/users`, { headers: idleHeaders })).status, 401);
    const stored = await t.app.db.query<{ token_hash: string }>(
      "select token_hash from tokens where console",
    );
    for (const r of stored) assert.doesNotMatch(r.token_hash, /usher_console_/, "only hashes are stored");
  });

  test("sign-in answers the same for an unknown address and a wrong password, after a password check either way", async () => {
    const unknown = await consoleSignIn(t.baseUrl, `${unique("nobody")}@example.com`, PASSWORD);
    const wrong = await consoleSignIn(t.baseUrl, viewer.email, "Wrong password 1!");
    const noRole = await createUser(t.baseUrl, t.adminToken, {
      password: { password: PASSWORD, changeRequired: false },
    });
    const outsider = await consoleSignIn(t.baseUrl, noRole.email, PASSWORD);
    for (const r of [unknown, wrong, outsider]) {
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, unknown.body);
      assert.equal(r.cookie, "");
    }
    assert.equal(unknown.body.code, "invalid_credentials");
    // An argon2id verification (~tens of ms here) runs for an unknown name too; without it the
    // unknown name would answer many times faster than the wrong password.
    assert.ok(unknown.ms > wrong.ms / 3, `unknown ${unknown.ms} ms vs wrong password ${wrong.ms} ms`);
  });
});
