import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { rest, userClient } from "./helpers/clients.ts";
import { type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";
import { outboxSettled, outboxStatuses } from "./helpers/wait.ts";

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

const mailsTo = (email: string) => smtp.mails.filter((m) => m.to.includes(email)).length;
const outboxCount = async (userId: string) =>
  Object.values(await outboxStatuses(t.app.db, userId)).reduce((a, b) => a + b, 0);
/** Events a request writes: every event of the user but the `*.code.sent` the delivery worker appends. */
const requestEventCount = async (userId: string) =>
  (
    await t.app.db.query("select 1 from events where aggregate_id = $1 and type not like '%.code.sent'", [
      userId,
    ])
  ).length;

describe("resend throttling", () => {
  test("a first invite takes nothing from the burst; the 4th resend within it → 429 with Retry-After; nothing is sent or changed", async () => {
    const { userId, email } = await createUser(t.baseUrl, t.adminToken);
    const auth = { token: t.adminToken };
    assert.equal(
      (await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, { ...auth, body: {} })).status,
      200,
    );
    for (let i = 0; i < 3; i++) {
      assert.equal(
        (await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/resend`, auth)).status,
        200,
      );
    }
    const before = await t.app.db.query<{ code_hash: string }>(
      "select code_hash from user_codes where user_id = $1",
      [userId],
    );
    assert.equal(before.length, 1, "the user has a code");
    assert.equal(await outboxCount(userId), 4, "the invite and three resends each queued a message");
    const eventsBefore = await requestEventCount(userId);
    const res = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/resend`, auth);
    assert.equal(res.status, 429);
    assert.equal(res.body.code, Code.ResourceExhausted);
    const retryAfter = Number(res.headers.get("retry-after"));
    assert.ok(
      retryAfter >= 1 && retryAfter <= 60,
      `Retry-After ${retryAfter} is within the one-minute refill`,
    );
    const after = await t.app.db.query<{ code_hash: string }>(
      "select code_hash from user_codes where user_id = $1",
      [userId],
    );
    assert.deepEqual(after, before, "the stored code is unchanged");
    assert.equal(await outboxCount(userId), 4, "the refused resend queued nothing");
    assert.equal(await requestEventCount(userId), eventsBefore, "the refused resend wrote no event");
    await outboxSettled(t.app.db, userId);
    const statuses = await outboxStatuses(t.app.db, userId);
    // A resend supersedes a message still waiting, so fewer than four may leave; the last always does.
    assert.ok((statuses.sent ?? 0) >= 1, `the latest code was mailed (${JSON.stringify(statuses)})`);
    assert.equal((statuses.sent ?? 0) + (statuses.superseded ?? 0), 4, JSON.stringify(statuses));
    await smtp.waitFor((m) => m.to.includes(email));
    assert.equal(mailsTo(email), statuses.sent, "one mail per sent message, none for the refused resend");

    const grpc = await userClient("grpc", t.baseUrl, t.adminToken)
      .resendInviteCode({ userId })
      .catch((e) => e);
    assert.ok(grpc instanceof ConnectError);
    assert.equal(grpc.code, Code.ResourceExhausted);
    assert.ok(Number(grpc.metadata.get("retry-after")) >= 1);

    // After the advertised wait, one more is allowed.
    t.advance(retryAfter * 1000);
    try {
      assert.equal(
        (await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code/resend`, auth)).status,
        200,
      );
    } finally {
      t.advance(-retryAfter * 1000);
    }
  });

  test("returned codes are not throttled (nothing is sent)", async () => {
    const { userId } = await createUser(t.baseUrl, t.adminToken);
    const codes = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
        token: t.adminToken,
        body: { returnCode: {} },
      });
      assert.equal(res.status, 200, "more than the burst of three: returned codes are not throttled");
      assert.match(String(res.body.inviteCode), /^[A-Z0-9]{6}$/, "the code comes back in the answer");
      codes.add(String(res.body.inviteCode));
    }
    assert.equal(codes.size, 5, "each call made a new code");
    // The outbox row is written in the call's transaction: none now means none will be sent.
    assert.equal(await outboxCount(userId), 0, "no message was queued");
  });
});

describe("Idempotency-Key", () => {
  test("a retried request with the same key answers the same and sends one mail", async () => {
    const { userId, email } = await createUser(t.baseUrl, t.adminToken);
    const key = unique("idem");
    const call = () =>
      rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
        token: t.adminToken,
        headers: { "idempotency-key": key },
        body: { sendCode: { applicationName: "Idem" } },
      });
    const [a, b] = await Promise.all([call(), call()]);
    const c = await call();
    assert.equal(a.status, 200);
    assert.deepEqual(b.body, a.body);
    assert.deepEqual(c.body, a.body);
    assert.equal(await outboxCount(userId), 1, "one message was queued");
    await smtp.waitFor((m) => m.to.includes(email));
    await outboxSettled(t.app.db, userId);
    assert.equal(mailsTo(email), 1);
    const events = await t.app.db.query(
      "select 1 from events where aggregate_id = $1 and type = 'user.human.invite.code.added'",
      [userId],
    );
    assert.equal(events.length, 1);
  });

  test("the same key with another request → 422 on REST, INVALID_ARGUMENT on gRPC", async () => {
    const { userId } = await createUser(t.baseUrl, t.adminToken);
    const key = unique("idem");
    const headers = { "idempotency-key": key };
    assert.equal(
      (
        await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
          token: t.adminToken,
          headers,
          body: {},
        })
      ).status,
      200,
    );
    const other = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
      token: t.adminToken,
      headers,
      body: { sendCode: { applicationName: "Other" } },
    });
    assert.equal(other.status, 422);
    assert.equal(other.body.code, Code.InvalidArgument);
  });

  test("with two Usher processes on one PostgreSQL, a retried key still sends one mail", async () => {
    const second = await startTestApp({ databaseUrl: t.databaseUrl, config: { smtpUrl: smtp.url } });
    try {
      const { userId, email } = await createUser(t.baseUrl, t.adminToken);
      const key = unique("idem2");
      const callOn = (base: string) =>
        rest(base, "POST", `/v2/users/${userId}/invite_code`, {
          token: t.adminToken,
          headers: { "idempotency-key": key },
          body: {},
        });
      const results = await Promise.all([
        callOn(t.baseUrl),
        callOn(second.baseUrl),
        callOn(t.baseUrl),
        callOn(second.baseUrl),
      ]);
      for (const r of results) assert.deepEqual(r.body, results[0]?.body);
      // Both processes answered every call, so the outbox is final: one message, hence one mail.
      assert.equal(await outboxCount(userId), 1, "one message was queued by the four calls");
      await smtp.waitFor((m) => m.to.includes(email));
      await outboxSettled(t.app.db, userId);
      assert.equal(mailsTo(email), 1);
    } finally {
      await second.app.stop();
    }
  });
});
