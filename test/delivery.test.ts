import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { messageTextQueries } from "../src/queries/message-texts.ts";
import { rest } from "./helpers/clients.ts";
import { fixtures } from "./helpers/fixtures.ts";
import { type SmtpCatcher, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { freePort, startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";
import { outboxSettled, until } from "./helpers/wait.ts";

const fast = {
  deliveryBackoffBase: 500,
  deliveryBackoffMax: 2_000,
  deliveryPollInterval: 100,
  deliveryCircuitProbeMax: 2_000,
};

async function outboxOf(t: TestApp, userId: string) {
  return t.app.db.query<{
    status: string;
    attempts: number;
    last_error: string | null;
    provider: string | null;
  }>("select status, attempts, last_error, provider from outbox where user_id = $1", [userId]);
}

/** The value of one Prometheus sample in a `/metrics` text, 0 when it is not there yet. */
function sample(metrics: string, name: string): number {
  const line = metrics.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
}

test("a message sent while the SMTP server is down is retried, and delivered once it is back", async () => {
  const port = await freePort();
  const t = await startTestApp({
    config: { smtpUrl: `smtp://127.0.0.1:${port}`, ...fast, deliveryMaxAttempts: 30 },
  });
  let smtp: SmtpCatcher | undefined;
  try {
    const { userId, email } = await createUser(t.baseUrl, t.adminToken);
    const res = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
      token: t.adminToken,
      body: {},
    });
    assert.equal(res.status, 200, "the call succeeds: delivery is asynchronous");
    // Wait for three refused attempts (with the fast backoff, about 2 s) and the message back in
    // the queue between two of them, not for a fixed time.
    let waiting = await outboxOf(t, userId);
    await until(
      async () => {
        waiting = await outboxOf(t, userId);
        return (waiting[0]?.attempts ?? 0) >= 3 && waiting[0]?.status === "queued";
      },
      "three attempts, the message queued for another",
      20_000,
    );
    assert.equal(waiting.length, 1);
    assert.match(waiting[0]?.last_error ?? "", /ECONNREFUSED|connect/i);
    smtp = await startSmtpCatcher({ port });
    await smtp.waitFor((m) => m.to.includes(email), 10_000);
    await until(async () => (await outboxOf(t, userId))[0]?.status === "sent", "the sent record", 5_000);
    assert.equal((await outboxOf(t, userId))[0]?.provider, "smtp");
  } finally {
    await t.stop();
    await smtp?.close();
  }
});

describe("with an SMTP server", () => {
  let smtp: SmtpCatcher;
  let t: TestApp;
  before(async () => {
    smtp = await startSmtpCatcher();
    t = await startTestApp({ config: { smtpUrl: smtp.url, ...fast } });
  });
  after(async () => {
    await t?.stop();
    await smtp?.close();
  });

  test("a 5xx rejection fails the message at once with the server's reply", async () => {
    smtp.rejectWith(550, "5.1.1 mailbox unavailable");
    try {
      const { userId } = await createUser(t.baseUrl, t.adminToken);
      await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, { token: t.adminToken, body: {} });
      await until(async () => (await outboxOf(t, userId))[0]?.status === "failed", "the failure", 10_000);
      const [m] = await outboxOf(t, userId);
      assert.equal(m?.attempts, 1, "no retry for a permanent error");
      assert.match(m?.last_error ?? "", /550.*mailbox unavailable/);
      // The API shows it: the tenant API's messages of the user, and the user's invite.
      const headers = { "x-tenant-id": t.defaultOrgId };
      const messages = await rest(t.baseUrl, "GET", `/v1/users/${userId}/messages`, {
        token: t.adminToken,
        headers,
      });
      const shown = (messages.body.data as Array<{ status: string; last_error: string }>)[0];
      assert.equal(shown?.status, "failed");
      assert.match(shown?.last_error ?? "", /550/);
      const user = await rest(t.baseUrl, "GET", `/v1/users/${userId}`, { token: t.adminToken, headers });
      assert.equal((user.body.invite as { delivery: string }).delivery, "failed");
    } finally {
      smtp.rejectWith(undefined);
    }
  });

  test("a German-speaking user gets German mails", async () => {
    const email = `${unique("de")}@example.com`;
    const created = await rest(t.baseUrl, "POST", "/v2/users/human", {
      token: t.adminToken,
      body: {
        profile: { givenName: "Grete", familyName: "Weber", preferredLanguage: "de" },
        email: { email, isVerified: false },
      },
    });
    await rest(t.baseUrl, "POST", `/v2/users/${created.body.userId}/invite_code`, {
      token: t.adminToken,
      body: {},
    });
    const mail = await smtp.waitFor((m) => m.to.includes(email));
    assert.equal(mail.subject, "Einladung zu Usher");
    assert.match(mail.text, /Ihr Code: [A-Z0-9]{6}/);
  });

  test("an organization's custom subject appears in its users' mails and nowhere else", async () => {
    const fx = fixtures(t.app.db);
    const custom = await fx.org();
    await messageTextQueries(t.app.db).put(
      custom,
      "InviteUser",
      "en",
      { subject: "Welcome aboard {{.DisplayName}}" },
      new Date(),
    );
    const inCustom = await fx.user(custom);
    const elsewhere = await createUser(t.baseUrl, t.adminToken);
    for (const u of [inCustom, elsewhere]) {
      const res = await rest(t.baseUrl, "POST", `/v2/users/${u.userId}/invite_code`, {
        token: t.adminToken,
        body: {},
      });
      assert.equal(res.status, 200);
    }
    assert.equal(
      (await smtp.waitFor((m) => m.to.includes(inCustom.email))).subject,
      "Welcome aboard Fix Ture",
    );
    assert.equal((await smtp.waitFor((m) => m.to.includes(elsewhere.email))).subject, "Invitation to Usher");
  });

  test("/metrics counts the deliveries and calls of this test", async () => {
    const metrics = async () => (await fetch(`${t.baseUrl}/metrics`)).text();
    const sent = 'usher_deliveries_total{provider="smtp",result="sent"}';
    const failed = 'usher_deliveries_total{provider="smtp",result="failed"}';
    const calls = 'usher_requests_total{method="UserService/CreateInviteCode",code="ok"}';
    // Earlier tests' last sends may still be counting: they waited for the mail, not its record.
    await outboxSettled(t.app.db);
    const before = await metrics();
    const delivered = await createUser(t.baseUrl, t.adminToken);
    await rest(t.baseUrl, "POST", `/v2/users/${delivered.userId}/invite_code`, {
      token: t.adminToken,
      body: {},
    });
    await smtp.waitFor((m) => m.to.includes(delivered.email));
    await until(async () => (await outboxOf(t, delivered.userId))[0]?.status === "sent", "the sent record");
    smtp.rejectWith(550, "5.1.1 mailbox unavailable");
    try {
      const refused = await createUser(t.baseUrl, t.adminToken);
      await rest(t.baseUrl, "POST", `/v2/users/${refused.userId}/invite_code`, {
        token: t.adminToken,
        body: {},
      });
      await until(async () => (await outboxOf(t, refused.userId))[0]?.status === "failed", "the failure");
    } finally {
      smtp.rejectWith(undefined);
    }
    const now = await metrics();
    assert.equal(sample(now, sent) - sample(before, sent), 1, "one more delivery sent");
    assert.equal(sample(now, failed) - sample(before, failed), 1, "one more delivery failed");
    assert.equal(sample(now, calls) - sample(before, calls), 2, "two more CreateInviteCode calls");
    assert.match(now, /^usher_outbox_queued \d+$/m);
  });
});
