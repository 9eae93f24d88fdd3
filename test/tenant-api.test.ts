import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { tenantRoutes } from "../src/api/tenant/routes.ts";
import { rest } from "./helpers/clients.ts";
import { codeFrom, type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { assertDocumented } from "./helpers/tenant-schema.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";

interface Invite {
  expires_at: string | null;
  last_sent_at: string | null;
  send_count: number;
  delivery: string | null;
  last_error: string | null;
}

let smtp: SmtpCatcher;
let t: TestApp;
let tenant: string;
let adminKey: string;

before(async () => {
  smtp = await startSmtpCatcher();
  t = await startTestApp({ config: { smtpUrl: smtp.url, deliveryPollInterval: 50 } });
  tenant = t.defaultOrgId;
  const created = await rest(t.baseUrl, "POST", "/v1/api-keys", {
    token: t.adminToken,
    headers: { "x-tenant-id": tenant },
    body: { name: "test admin", roles: ["admin"] },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  adminKey = created.body.raw_key as string;
});
after(async () => {
  await t?.stop();
  await smtp?.close();
});

/** A tenant API call; every answer is checked against the schema the OpenAPI document gives it. */
async function v1(
  method: string,
  path: string,
  body?: unknown,
  key = adminKey,
  tenantId = tenant,
  headers: Record<string, string> = {},
) {
  const res = await rest(t.baseUrl, method, path, {
    body,
    headers: { "x-api-key": key, "x-tenant-id": tenantId, ...headers },
  });
  assertDocumented(
    tenantRoutes(t.app.deps),
    method,
    path,
    res.status,
    res.status === 204 ? undefined : res.body,
  );
  return res;
}

function assertError(res: { status: number; body: Record<string, unknown> }, status: number, code: string) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.code, code);
  assert.equal(typeof res.body.message, "string");
  assert.equal(typeof res.body.details, "object");
  assert.ok(Array.isArray(res.body.notices));
}

describe("users and the resend-invite seed call", () => {
  test("create-and-invite, resend (old code refused), statuses and errors", async () => {
    const email = `${unique("tenant")}@example.com`;
    const created = await v1("POST", "/v1/users", { email, name: "Ada Lovelace", locale: "en" });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const user = created.body as {
      id: string;
      status: string;
      invite: { delivery: string } | null;
      name: string;
    };
    assert.equal(user.status, "invited");
    assert.equal(user.name, "Ada Lovelace");
    const first = await smtp.waitFor((m) => m.to.includes(email));

    // The worker counts a send once the mail server has accepted it.
    let before = (await v1("GET", `/v1/users/${user.id}`)).body.invite as Invite;
    for (let i = 0; i < 100 && before.send_count === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      before = (await v1("GET", `/v1/users/${user.id}`)).body.invite as Invite;
    }
    assert.equal(before.send_count, 1);
    assert.equal(before.delivery, "sent");

    const resent = await v1("POST", `/v1/users/${user.id}/resend-invite`, {});
    assert.equal(resent.status, 200, JSON.stringify(resent.body));
    assert.equal(resent.body.message, "Invite resent.");
    const invite = resent.body.invite as Invite;
    assert.equal(invite.delivery, "queued");
    assert.equal(invite.last_error, null);
    assert.equal(invite.send_count, 1);
    assert.equal(invite.last_sent_at, before.last_sent_at);
    assert.ok(Date.parse(invite.expires_at as string) > Date.parse(before.expires_at as string));
    const second = await smtp.waitFor((m) => m.to.includes(email) && m !== first);

    const old = await v1("POST", "/v1/auth/verify-email", { user_id: user.id, code: codeFrom(first) });
    if (codeFrom(first) !== codeFrom(second)) assertError(old, 400, "invalid_code");
    const ok = await v1("POST", "/v1/auth/verify-email", { user_id: user.id, code: codeFrom(second) });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));

    assertError(await v1("POST", `/v1/users/${user.id}/resend-invite`, {}), 409, "already_verified");
    assertError(await v1("POST", `/v1/users/${unique("nobody")}/resend-invite`, {}), 404, "not_found");

    const got = await v1("GET", `/v1/users/${user.id}`);
    assert.equal(got.body.status, "active");
    assert.equal(got.body.email_verified, true);
  });

  test("resend-invite with a corrected address mails the new one and marks it unverified", async () => {
    const created = await v1("POST", "/v1/users", { email: `${unique("typo")}@exmaple.com` });
    const id = created.body.id as string;
    const fixed = `${unique("fixed")}@example.com`;
    const res = await v1("POST", `/v1/users/${id}/resend-invite`, { email: fixed });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await smtp.waitFor((m) => m.to.includes(fixed));
    const got = await v1("GET", `/v1/users/${id}`);
    assert.equal(got.body.email, fixed);
    assert.equal(got.body.email_verified, false);
  });

  test("a key of another tenant → 403 tenant_mismatch, before any lookup", async () => {
    const org = await rest(t.baseUrl, "POST", "/v2/organizations", {
      token: t.adminToken,
      body: { name: unique("Other") },
    });
    assert.equal(org.status, 200, JSON.stringify(org.body));
    const otherTenant = org.body.organizationId as string;
    const key = await rest(t.baseUrl, "POST", "/v1/api-keys", {
      token: t.adminToken,
      headers: { "x-tenant-id": otherTenant },
      body: { name: "other", roles: ["admin"] },
    });
    const otherKey = key.body.raw_key as string;
    const created = await v1("POST", "/v1/users", { email: `${unique("mine")}@example.com` });
    assertError(
      await v1("POST", `/v1/users/${created.body.id}/resend-invite`, {}, otherKey, tenant),
      403,
      "tenant_mismatch",
    );
    assertError(
      await v1("POST", `/v1/users/${unique("x")}/resend-invite`, {}, otherKey, tenant),
      403,
      "tenant_mismatch",
    );
    assertError(
      await v1("GET", `/v1/users/${created.body.id}`, undefined, otherKey, otherTenant),
      404,
      "not_found",
    );
  });

  test("list with filters and cursor pagination", async () => {
    const marker = unique("page");
    for (let i = 0; i < 3; i++)
      await v1("POST", "/v1/users", { email: `${marker}-${i}@example.com`, send_invite: false });
    const byEmail = await v1("GET", `/v1/users?email=${marker}-1@example.com`);
    assert.equal((byEmail.body.data as unknown[]).length, 1);
    const p1 = await v1("GET", "/v1/users?limit=2");
    assert.equal((p1.body.data as unknown[]).length, 2);
    assert.equal(p1.body.has_more, true);
    const p2 = await v1("GET", `/v1/users?limit=2&cursor=${p1.body.next_cursor}`);
    const ids1 = (p1.body.data as Array<{ id: string }>).map((u) => u.id);
    const ids2 = (p2.body.data as Array<{ id: string }>).map((u) => u.id);
    assert.ok(ids2.every((id) => !ids1.includes(id)));
    assertError(await v1("GET", "/v1/users?cursor=garbage"), 400, "validation_error");
  });

  test("patch, disable, delete; messages show delivery state", async () => {
    const created = await v1("POST", "/v1/users", { email: `${unique("patch")}@example.com` });
    const id = created.body.id as string;
    const patched = await v1("PATCH", `/v1/users/${id}`, {
      name: "Grace Hopper",
      locale: "de",
      active: false,
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.name, "Grace Hopper");
    assert.equal(patched.body.locale, "de");
    assert.equal(patched.body.status, "disabled");
    const messages = await v1("GET", `/v1/users/${id}/messages`);
    assert.equal(messages.status, 200);
    assert.equal((messages.body.data as Array<{ type: string }>)[0]?.type, "InviteUser");
    const del = await v1("DELETE", `/v1/users/${id}`);
    assert.equal(del.status, 204);
    assertError(await v1("GET", `/v1/users/${id}`), 404, "not_found");
  });
});

describe("request checks", () => {
  test("headers, credentials, unknown fields, size", async () => {
    assertError(
      await rest(t.baseUrl, "GET", "/v1/users", { headers: { "x-tenant-id": tenant } }),
      401,
      "unauthenticated",
    );
    assertError(await v1("GET", "/v1/users", undefined, adminKey, "not-a-uuid"), 400, "validation_error");
    const unknown = await v1("POST", "/v1/users", { email: "a@example.com", nmae: "typo" });
    assertError(unknown, 400, "validation_error");
    assert.deepEqual((unknown.body.details as { fields: unknown[] }).fields, [
      { field: "body.nmae", message: "unknown field" },
    ]);
    assertError(
      await v1("POST", "/v1/users", { email: `${"a".repeat(70_000)}@example.com` }),
      413,
      "payload_too_large",
    );
    assertError(await v1("POST", "/v1/users", "{broken"), 400, "validation_error");
  });

  test("API keys: list without raw keys, revoke stops them at once", async () => {
    const made = await v1("POST", "/v1/api-keys", { name: "short-lived", roles: ["viewer"] });
    assert.equal(made.status, 201);
    const viewerKey = made.body.raw_key as string;
    assert.equal((await v1("GET", "/v1/users", undefined, viewerKey)).status, 200);
    assertError(
      await v1("POST", "/v1/users", { email: `${unique("v")}@example.com` }, viewerKey),
      403,
      "forbidden",
    );
    const list = await v1("GET", "/v1/api-keys");
    assert.ok(!JSON.stringify(list.body).includes(viewerKey));
    const listed = (list.body.data as Array<{ id: string; last_used_at: string | null }>).find(
      (k) => k.id === made.body.id,
    );
    assert.ok(listed?.last_used_at, "the key's last use is recorded");
    assert.equal((await v1("DELETE", `/v1/api-keys/${made.body.id}`)).status, 204);
    assertError(await v1("GET", "/v1/users", undefined, viewerKey), 401, "unauthenticated");
  });

  test("the authorization check explains a decision", async () => {
    const res = await v1("POST", "/v1/authz/check", {
      action: "user.write",
      resource: { type: "org", id: tenant },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.decision, "allow");
    assert.deepEqual(res.body.policies, ["org-owner"]);
  });

  test("end-user endpoints never reveal whether a user exists", async () => {
    const unknown = await v1("POST", "/v1/auth/verify-email", { user_id: unique("ghost"), code: "ABCDEF" });
    assertError(unknown, 400, "invalid_code");
  });

  test("set-initial-password checks the code and sets the password in one step", async () => {
    const email = `${unique("pw")}@example.com`;
    const created = await v1("POST", "/v1/users", { email });
    const mail = await smtp.waitFor((m) => m.to.includes(email));
    const weak = await v1("POST", "/v1/auth/set-initial-password", {
      user_id: created.body.id,
      code: codeFrom(mail),
      password: "short",
    });
    assertError(weak, 400, "validation_error");
    const res = await v1("POST", "/v1/auth/set-initial-password", {
      user_id: created.body.id,
      code: codeFrom(mail),
      password: "a long enough password",
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const got = await v1("GET", `/v1/users/${created.body.id}`);
    assert.equal(got.body.status, "active");
  });

  test("Idempotency-Key: the same create twice makes one user", async () => {
    const key = unique("idem");
    const body = { email: `${unique("idem")}@example.com` };
    const a = await v1("POST", "/v1/users", body, adminKey, tenant, { "idempotency-key": key });
    const b = await v1("POST", "/v1/users", body, adminKey, tenant, { "idempotency-key": key });
    assert.equal(a.status, 201);
    assert.deepEqual(b.body, a.body);
    const c = await v1("POST", "/v1/users", { email: `${unique("other")}@example.com` }, adminKey, tenant, {
      "idempotency-key": key,
    });
    assert.equal(c.status, 422);
  });
});

describe("the OpenAPI document", () => {
  test("validates as OpenAPI 3.1 and describes every route; /v1/docs renders it from local assets", async () => {
    const { Validator } = await import("@seriousme/openapi-schema-validator");
    const doc = (await (await fetch(`${t.baseUrl}/v1/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    const result = await new Validator().validate(doc as never);
    assert.equal(result.valid, true, JSON.stringify(result.errors));
    assert.equal(doc.openapi, "3.1.0");
    for (const r of tenantRoutes(t.app.deps))
      assert.ok(doc.paths[r.path]?.[r.method.toLowerCase()], `${r.method} ${r.path}`);
    const page = await (await fetch(`${t.baseUrl}/v1/docs`)).text();
    assert.ok(page.includes("/v1/docs/assets/swagger-ui-bundle.js") && !page.includes("cdn"));
    assert.equal((await fetch(`${t.baseUrl}/v1/docs/assets/swagger-ui-bundle.js`)).status, 200);
  });
});

describe("message texts", () => {
  test("a tenant sets its own subject, previews it, and resets it", async () => {
    const set = await v1("PUT", "/v1/message-texts/InviteUser/en", {
      subject: "Join {{.ApplicationName}}, {{.DisplayName}}",
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const preview = await v1("POST", "/v1/message-texts/InviteUser/en/preview", {
      display_name: "Grace",
      application_name: "Acme",
    });
    assert.equal(preview.status, 200);
    assert.equal(preview.body.subject, "Join Acme, Grace");
    assert.match(String(preview.body.html), /K7Q2ZD/);
    assertError(
      await v1("PUT", "/v1/message-texts/InviteUser/en", { subject: "Hi {{.Password}}" }),
      400,
      "validation_error",
    );
    assertError(await v1("PUT", "/v1/message-texts/Nope/xx", { subject: "x" }), 400, "validation_error");
    assert.equal((await v1("DELETE", "/v1/message-texts/InviteUser/en")).status, 204);
    const reset = await v1("POST", "/v1/message-texts/InviteUser/en/preview", {});
    assert.equal(reset.body.subject, "Invitation to Usher");
  });
});

describe("set-initial-password takes only invite and init codes", () => {
  test("an email verification code cannot replace an existing password", async () => {
    const created = await rest(t.baseUrl, "POST", "/v2/users/human", {
      token: t.adminToken,
      body: {
        profile: { givenName: "Has", familyName: "Password" },
        email: { email: `${unique("haspw")}@example.com`, returnCode: {} },
        password: { password: "the original password" },
      },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const emailCode = created.body.emailCode as string;
    const res = await v1("POST", "/v1/auth/set-initial-password", {
      user_id: created.body.userId,
      code: emailCode,
      password: "an attacker's password",
    });
    assertError(res, 400, "invalid_code");
    const verify = await v1("POST", "/v1/auth/verify-email", {
      user_id: created.body.userId,
      code: emailCode,
    });
    assert.equal(verify.status, 200, "the email code itself is still good for verifying the address");
  });
});
