import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { hashCode } from "../src/domain/codes.ts";
import { rest } from "./helpers/clients.ts";
import { codeFrom, type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

let smtp: SmtpCatcher;
let t: TestApp;
before(async () => {
  smtp = await startSmtpCatcher();
  t = await startTestApp({ config: { smtpUrl: smtp.url, throttleEnabled: false } });
});
after(async () => {
  await t?.stop();
  await smtp?.close();
});

test("20 parallel ResendInviteCode calls leave exactly one valid code", async () => {
  const { userId, email } = await createUser(t.baseUrl, t.adminToken);
  const auth = { token: t.adminToken };
  assert.equal(
    (await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, { ...auth, body: {} })).status,
    200,
  );
  await smtp.waitFor((m) => m.to.includes(email));

  const results = await Promise.all(
    Array.from({ length: 20 }, () => rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/resend`, auth)),
  );
  assert.deepEqual(
    results.map((r) => r.status),
    Array(20).fill(200),
  );
  const sequences = results
    .map((r) => Number((r.body.details as { sequence: string }).sequence))
    .sort((a, b) => a - b);
  assert.equal(new Set(sequences).size, 20, "every resend got its own sequence");

  const rows = await t.app.db.query<{ code_hash: string | null }>(
    "select code_hash from user_codes where user_id = $1 and kind = 'invite'",
    [userId],
  );
  assert.equal(rows.length, 1);
  const stored = rows[0]?.code_hash;
  assert.ok(stored);

  // Wait until nothing for this user is queued or in flight, then look at what was mailed.
  for (let i = 0; i < 200; i++) {
    const pending = await t.app.db.query(
      "select 1 from outbox where user_id = $1 and status in ('queued', 'sending')",
      [userId],
    );
    if (pending.length === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const mailed = smtp.mails.filter((m) => m.to.includes(email)).map(codeFrom);
  const valid = mailed.filter((c) => hashCode(t.app.deps.keys.codeHmac, c) === stored);
  assert.equal(valid.length, 1, `exactly one mailed code is the stored one (mailed ${mailed.length})`);
  assert.equal(mailed.at(-1), valid[0], "the newest mail carries the valid code");
  const statuses = await t.app.db.query<{ status: string }>("select status from outbox where user_id = $1", [
    userId,
  ]);
  assert.ok(statuses.every((s) => s.status === "sent" || s.status === "superseded"));

  const ok = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/verify`, {
    ...auth,
    body: { verificationCode: valid[0] },
  });
  assert.equal(ok.status, 200);
});
