// Security invariant 3 (docs/SECURITY.md): no secret handed out by Usher is readable at rest. Every kind of call
// that hands out a secret — codes returned or mailed, PATs, API keys, passwords set, with and
// without Idempotency-Key, on every surface — runs once; then the whole database (every row of
// every table of every schema, and pg_dump on PostgreSQL) and the process's log are searched
// for every secret: as written, other case, URL-encoded, hex, base64 and base64url at any offset.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { CreateInviteCodeResponseSchema } from "@zitadel/proto/zitadel/user/v2/user_service_pb.js";
import pino from "pino";
import { type Protocol, rest } from "./helpers/clients.ts";
import { dumpRows, pgDump } from "./helpers/database-dump.ts";
import { codeIn, type MailboxMail, mailboxMail, pageLinkIn, submitPage } from "./helpers/dev-mailbox.ts";
import { clientsWithHeaders } from "./helpers/header-clients.ts";
import { findSecrets, type Secret } from "./helpers/secret-forms.ts";
import { startTestApp, TEST_DATABASE_URL, type TestApp, unique } from "./helpers/test-app.ts";

/** Every line the app logs, at every level. */
const logLines: string[] = [];
const log = pino({ level: "trace" }, { write: (line: string) => void logLines.push(line) });

let t: TestApp;
const secrets: Secret[] = [];

before(async () => {
  // The dev mailbox is the provider: its stored mails are part of what is searched.
  t = await startTestApp({ log, config: { throttleEnabled: false } });
});
after(async () => {
  await t?.stop();
});

/** Remembers a secret Usher handed out (or was given) and returns it. */
function keep(what: string, value: unknown): string {
  assert.equal(typeof value, "string", `${what} is a string: ${JSON.stringify(value)}`);
  assert.ok((value as string).length >= 6, `${what} looks like a secret: ${JSON.stringify(value)}`);
  secrets.push({ what, value: value as string });
  return value as string;
}

const newPassword = (what: string) => keep(what, `Pw-${randomBytes(12).toString("base64url")}-a1A!`);

/** A ZITADEL REST call as the admin; fails the test unless it answers 200. */
async function z(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await rest(t.baseUrl, method, path, { token: t.adminToken, body, headers });
  assert.equal(res.status, 200, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A tenant API call; fails the test unless it answers `status`. */
async function tenant(
  method: string,
  path: string,
  status: number,
  options: { apiKey?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { "x-tenant-id": t.defaultOrgId, ...options.headers };
  if (options.apiKey) headers["x-api-key"] = options.apiKey;
  const res = await rest(t.baseUrl, method, path, {
    token: options.apiKey ? undefined : t.adminToken,
    body: options.body,
    headers,
  });
  assert.equal(res.status, status, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The admin's official clients; `t` exists only once the app has started. */
const users = (protocol: Protocol, headers: Record<string, string> = {}) =>
  clientsWithHeaders(t.baseUrl, t.adminToken).users(protocol, headers);
const management = (protocol: Protocol, headers: Record<string, string> = {}) =>
  clientsWithHeaders(t.baseUrl, t.adminToken).management(protocol, headers);
const idem = () => ({ "idempotency-key": unique("idem") });
const mailTo = (email: string, count = 1) => mailboxMail(t.baseUrl, email, count);
const linkIn = pageLinkIn;

/** The code of a mail, remembered as a secret. */
function mailedCode(what: string, mail: MailboxMail): string {
  return keep(`${what} (mailed)`, codeIn(mail));
}

/** A v2 human with an unverified address and no code; returns its id and address. */
async function v2User(extra: Record<string, unknown> = {}): Promise<{ id: string; email: string }> {
  const email = `${unique("rest")}@example.com`;
  const body = await z("POST", "/v2/users/human", {
    profile: { givenName: "Ada", familyName: "Lovelace" },
    email: { email, isVerified: false },
    ...extra,
  });
  return { id: body.userId as string, email };
}

/** A v1 human (INITIAL without a password): its init code is mailed. */
async function v1User(extra: Record<string, unknown> = {}): Promise<{ id: string; email: string }> {
  const email = `${unique("v1rest")}@example.com`;
  const body = await z("POST", "/management/v1/users/human", {
    userName: unique("v1rest"),
    profile: { firstName: "Ada", lastName: "Byron" },
    email: { email },
    ...extra,
  });
  return { id: body.userId as string, email };
}

test("the search finds a secret in every form it may take, inside an encoded response too", () => {
  const code = "Q7XK2M";
  const proto = toBinary(
    CreateInviteCodeResponseSchema,
    create(CreateInviteCodeResponseSchema, { inviteCode: code }),
  );
  const secret = [{ what: "code", value: code }];
  for (const prefix of [Buffer.alloc(0), Buffer.from([1]), Buffer.from([1, 2])]) {
    const blob = Buffer.concat([prefix, proto]);
    for (const text of [blob.toString("base64"), blob.toString("base64url"), blob.toString("hex")]) {
      assert.equal(findSecrets(`x ${text} y`, secret).length, 1, text);
    }
  }
  assert.equal(findSecrets(`{"code":"${code.toLowerCase()}"}`, secret).length, 1);
  assert.equal(findSecrets("pw=long+pass%21", [{ what: "password", value: "long pass!" }]).length, 1);
  assert.deepEqual(findSecrets("nothing here", secret), []);
});

test("after every kind of call that hands out a secret, none is readable in the database or the log", async (ctx) => {
  keep("token of the test's admin", t.adminToken);
  const patFile = t.app.config.firstInstancePatPath;
  assert.ok(existsSync(patFile), "the first start wrote the admin token file");
  keep("first-start admin PAT", readFileSync(patFile, "utf8").trim());

  // v2 AddHumanUser with return_code and a password (REST, then Connect with Idempotency-Key).
  const added = await z(
    "POST",
    "/v2/users/human",
    {
      profile: { givenName: "Grace", familyName: "Hopper" },
      email: { email: `${unique("ret")}@example.com`, returnCode: {} },
      password: { password: newPassword("v2 AddHumanUser password") },
    },
    idem(),
  );
  await z("POST", `/v2/users/${added.userId}/email/verify`, {
    verificationCode: keep("v2 AddHumanUser emailCode", added.emailCode),
  });
  const addedConnect = await users("connect", idem()).addHumanUser({
    profile: { givenName: "Grace", familyName: "Hopper" },
    email: { email: `${unique("ret")}@example.com`, verification: { case: "returnCode", value: {} } },
  });
  keep("v2 AddHumanUser emailCode over Connect", addedConnect.emailCode);

  // v2 CreateInviteCode with return_code, with an Idempotency-Key that is replayed.
  const invited = await v2User();
  const inviteKey = idem();
  const invite = await z("POST", `/v2/users/${invited.id}/invite_code`, { returnCode: {} }, inviteKey);
  const replayed = await z("POST", `/v2/users/${invited.id}/invite_code`, { returnCode: {} }, inviteKey);
  assert.equal(replayed.inviteCode, invite.inviteCode, "the replay answers the same code");
  await z("POST", `/v2/users/${invited.id}/invite_code/verify`, {
    verificationCode: keep("v2 CreateInviteCode inviteCode", invite.inviteCode),
  });
  const invitedGrpc = await v2User();
  const grpcInvite = await users("grpc", idem()).createInviteCode({
    userId: invitedGrpc.id,
    verification: { case: "returnCode", value: {} },
  });
  keep("v2 CreateInviteCode inviteCode over gRPC", grpcInvite.inviteCode);

  // v2 SetEmail, SendEmailCode, ResendEmailCode with return_code, on three protocols.
  const emailUser = await v2User();
  const set = await users("grpc", idem()).setEmail({
    userId: emailUser.id,
    email: `${unique("set")}@example.com`,
    verification: { case: "returnCode", value: {} },
  });
  keep("v2 SetEmail verificationCode", set.verificationCode);
  const sent = await users("connect", idem()).sendEmailCode({
    userId: emailUser.id,
    verification: { case: "returnCode", value: {} },
  });
  keep("v2 SendEmailCode verificationCode", sent.verificationCode);
  const resent = await users("grpc-web", idem()).resendEmailCode({
    userId: emailUser.id,
    verification: { case: "returnCode", value: {} },
  });
  await users("grpc").verifyEmail({
    userId: emailUser.id,
    verificationCode: keep("v2 ResendEmailCode verificationCode", resent.verificationCode),
  });
  const restEmail = await v2User();
  const restSet = await z("POST", `/v2/users/${restEmail.id}/email`, {
    email: `${unique("set")}@example.com`,
    returnCode: {},
  });
  keep("v2 SetEmail verificationCode over REST", restSet.verificationCode);

  // v2 PasswordReset with return_code, then SetPassword with that code (and a key).
  const resetUser = await v2User({ password: { password: newPassword("v2 initial password") } });
  const reset = await z("POST", `/v2/users/${resetUser.id}/password_reset`, { returnCode: {} }, idem());
  await z(
    "POST",
    `/v2/users/${resetUser.id}/password`,
    {
      newPassword: { password: newPassword("v2 SetPassword password") },
      verificationCode: keep("v2 PasswordReset verificationCode", reset.verificationCode),
    },
    idem(),
  );
  // PasswordReset by mail, then SetPassword with the mailed code over gRPC.
  await z("POST", `/v2/users/${resetUser.id}/password_reset`, { sendLink: {} });
  const resetCode = mailedCode("v2 PasswordReset code", await mailTo(resetUser.email, 1));
  await users("grpc").setPassword({
    userId: resetUser.id,
    newPassword: { password: newPassword("v2 SetPassword password over gRPC") },
    verification: { case: "verificationCode", value: resetCode },
  });

  // v2 UpdateHumanUser: a new address with return_code and a new password.
  const updated = await v2User();
  const update = await z(
    "PUT",
    `/v2/users/human/${updated.id}`,
    {
      email: { email: `${unique("upd")}@example.com`, returnCode: {} },
      password: { password: { password: newPassword("v2 UpdateHumanUser password") } },
    },
    idem(),
  );
  keep("v2 UpdateHumanUser emailCode", update.emailCode);

  // Mailed invite, accepted on the hosted invite page with a password.
  const pageInvite = await v2User();
  await z("POST", `/v2/users/${pageInvite.id}/invite_code`, { sendCode: {} });
  const inviteMail = await mailTo(pageInvite.email);
  mailedCode("v2 CreateInviteCode code", inviteMail);
  const invitePassword = newPassword("invite page password");
  await submitPage(linkIn(inviteMail, "/ui/login/user/invite"), {
    password: invitePassword,
    password2: invitePassword,
  });

  // Mailed email code, verified on the hosted verification page.
  const pageEmail = await v2User();
  await z("POST", `/v2/users/${pageEmail.id}/email/send`, { sendCode: {} });
  const emailMail = await mailTo(pageEmail.email);
  mailedCode("v2 SendEmailCode code", emailMail);
  await submitPage(linkIn(emailMail, "/ui/login/mail/verification"), {});

  // v1: PATs (REST with a replayed key, and gRPC), passwords, mailed init and email codes.
  const machine = await z("POST", "/management/v1/users/machine", {
    userName: unique("svc"),
    name: "Service",
  });
  const patKey = idem();
  const pat = await z("POST", `/management/v1/users/${machine.userId}/pats`, {}, patKey);
  const patAgain = await z("POST", `/management/v1/users/${machine.userId}/pats`, {}, patKey);
  assert.equal(patAgain.token, pat.token, "the replay answers the same token");
  keep("v1 AddPersonalAccessToken token", pat.token);
  const grpcPat = await management("grpc", idem()).addPersonalAccessToken({
    userId: machine.userId as string,
  });
  keep("v1 AddPersonalAccessToken token over gRPC", grpcPat.token);
  const webPat = await management("grpc-web").addPersonalAccessToken({ userId: machine.userId as string });
  keep("v1 AddPersonalAccessToken token over gRPC-Web", webPat.token);

  await v1User({ initialPassword: newPassword("v1 AddHumanUser initialPassword") });
  const imported = await z(
    "POST",
    "/management/v1/users/human/_import",
    {
      userName: unique("imp"),
      profile: { firstName: "Ada", lastName: "Byron" },
      email: { email: `${unique("imp")}@example.com`, isEmailVerified: true },
      password: newPassword("v1 ImportHumanUser password"),
    },
    idem(),
  );
  await z("POST", `/management/v1/users/${imported.userId}/password/_initialize`, {
    password: newPassword("v1 SetHumanInitialPassword password"),
  });
  const initPage = await v1User();
  const initMail = await mailTo(initPage.email);
  mailedCode("v1 AddHumanUser init code", initMail);
  const initPassword = newPassword("init page password");
  await submitPage(linkIn(initMail, "/ui/login/user/init"), {
    password: initPassword,
    password2: initPassword,
  });
  const resendInit = await v1User();
  mailedCode("v1 AddHumanUser init code", await mailTo(resendInit.email, 1));
  await z("POST", `/management/v1/users/${resendInit.id}/_resend_initialization`, {});
  mailedCode("v1 ResendHumanInitialization code", await mailTo(resendInit.email, 2));
  const withPassword = await v1User({ initialPassword: newPassword("v1 AddHumanUser initialPassword") });
  mailedCode("v1 AddHumanUser init code (with a password)", await mailTo(withPassword.email, 1));
  const changed = `${unique("chg")}@example.com`;
  await z("PUT", `/management/v1/users/${imported.userId}/email`, { email: changed });
  mailedCode("v1 UpdateHumanEmail code", await mailTo(changed, 1));
  await z("POST", `/management/v1/users/${imported.userId}/email/_resend_verification`, {});
  mailedCode("v1 ResendHumanEmailVerification code", await mailTo(changed, 2));

  // Tenant API: keys (with a replayed Idempotency-Key), invites, codes and passwords.
  const rawKey = keep(
    "tenant raw API key",
    (await tenant("POST", "/v1/api-keys", 201, { body: { name: "ci", roles: ["user_manager"] } })).raw_key,
  );
  const keyKey = idem();
  const keyed = await tenant("POST", "/v1/api-keys", 201, {
    body: { name: "ci-idem", roles: ["viewer"] },
    headers: keyKey,
  });
  const keyedAgain = await tenant("POST", "/v1/api-keys", 201, {
    body: { name: "ci-idem", roles: ["viewer"] },
    headers: keyKey,
  });
  assert.equal(keyedAgain.raw_key, keyed.raw_key, "the replay answers the same key");
  keep("tenant raw API key with Idempotency-Key", keyed.raw_key);

  const onboardEmail = `${unique("tenant")}@example.com`;
  const onboard = await tenant("POST", "/v1/users", 201, {
    apiKey: rawKey,
    body: { email: onboardEmail, name: "Ada" },
    headers: idem(),
  });
  const onboardCode = mailedCode("tenant invite code", await mailTo(onboardEmail));
  await tenant("POST", "/v1/auth/set-initial-password", 200, {
    body: { user_id: onboard.id, code: onboardCode, password: newPassword("tenant set-initial-password") },
  });
  const verifyEmail = `${unique("tenant")}@example.com`;
  const verify = await tenant("POST", "/v1/users", 201, { apiKey: rawKey, body: { email: verifyEmail } });
  mailedCode("tenant invite code", await mailTo(verifyEmail, 1));
  await tenant("POST", `/v1/users/${verify.id}/resend-invite`, 200, {
    apiKey: rawKey,
    body: {},
    headers: idem(),
  });
  const resentCode = mailedCode("tenant resend-invite code", await mailTo(verifyEmail, 2));
  await tenant("POST", "/v1/auth/verify-email", 200, { body: { user_id: verify.id, code: resentCode } });

  // Webhook secrets (created and rotated, with Idempotency-Key) and an Actions target's signing key.
  const hook = await tenant("POST", "/v1/webhooks", 201, {
    body: { url: "http://127.0.0.1:9/hook", event_types: ["user.human.added"] },
    headers: idem(),
  });
  keep("webhook secret", hook.secret);
  const rotated = await tenant("POST", `/v1/webhooks/${hook.id}/rotate-secret`, 200, {
    body: {},
    headers: idem(),
  });
  keep("rotated webhook secret", rotated.secret);
  const target = await z("POST", "/v2beta/actions/targets", {
    name: unique("target"),
    endpoint: "http://127.0.0.1:9/target",
    timeout: "5s",
    restAsync: {},
  });
  keep("Actions target signing key", target.signingKey);
  await tenant("POST", "/v1/users", 201, {
    body: { email: `${unique("hooked")}@example.com`, send_invite: false },
  });

  await settled();
  const { text: dump, rowsPerTable } = await dumpRows(t.app.db);
  // The dump holds what was written: the rows that once carried the secrets are all there.
  for (const table of [
    "idempotency_keys",
    "mailbox",
    "outbox",
    "tokens",
    "user_codes",
    "api_keys",
    "events",
    "webhooks",
    "webhook_deliveries",
  ]) {
    assert.ok(
      (rowsPerTable.get(`public.${table}`) ?? 0) > 0,
      `public.${table} has rows: ${[...rowsPerTable]}`,
    );
  }
  assert.ok(dump.includes(onboardEmail) && dump.includes(changed), "the dump holds the users' data");
  assert.ok(secrets.length >= 40, `${secrets.length} secrets handed out`);
  assert.deepEqual(findSecrets(dump, secrets), [], "no secret readable in any row of any table");

  if (TEST_DATABASE_URL && t.databaseUrl) {
    const full = pgDump(t.databaseUrl);
    if (full.text === undefined) ctx.diagnostic(`pg_dump not searched (the row dump was): ${full.why}`);
    else {
      assert.ok(full.text.includes(onboardEmail), "pg_dump holds the users' data");
      assert.deepEqual(findSecrets(full.text, secrets), [], "no secret readable in pg_dump's output");
    }
  }

  const logged = logLines.join("");
  assert.ok(logLines.length > 0 && logged.includes("message sent"), "the log was captured");
  assert.deepEqual(findSecrets(logged, secrets), [], "no secret in the log");
});

/** Waits until the worker has delivered every message. */
async function settled(): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const rows = await t.app.db.query("select 1 from outbox where status in ('queued', 'sending')");
    if (rows.length === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail("the outbox did not drain");
}
