import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { rest } from "./helpers/clients.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.stop();
});

test("without SMTP, mail lands in the dev mailbox (JSON and HTML)", async () => {
  const { userId, email } = await createUser(t.baseUrl, t.adminToken);
  assert.equal(
    (await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, { token: t.adminToken, body: {} }))
      .status,
    200,
  );
  let message: Record<string, string> | undefined;
  for (let i = 0; i < 100 && !message; i++) {
    const res = await rest(t.baseUrl, "GET", "/dev/mailbox/messages");
    message = (res.body.messages as Array<Record<string, string>>).find((m) => m.to === email);
    if (!message) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(message, "the invite is in the mailbox");
  assert.equal(message.subject, "Invitation to Usher");
  assert.match(message.text ?? "", /Your code: [A-Z0-9]{6}/);
  assert.ok(message.html?.includes("Accept invite"));
  assert.ok(!Number.isNaN(Date.parse(message.created_at ?? "")));

  const page = await fetch(`${t.baseUrl}/dev/mailbox`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type") ?? "", /text\/html/);
  assert.ok((await page.text()).includes(email));
});

test("health and readiness", async () => {
  assert.deepEqual((await rest(t.baseUrl, "GET", "/healthz")).body, { status: "ok" });
  assert.equal((await rest(t.baseUrl, "GET", "/readyz")).status, 200);
});
