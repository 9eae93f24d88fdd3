import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { rest } from "./helpers/clients.ts";
import { codeFrom, startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { dropDatabase, startTestApp } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

test("a restart loses nothing: users, codes and undelivered messages survive and are delivered", async () => {
  const smtp = await startSmtpCatcher();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-restart-"));
  try {
    // First life: the SMTP server refuses with a transient error, so the invite stays queued.
    smtp.rejectWith(451, "try again later");
    const first = await startTestApp({ dataDir, config: { smtpUrl: smtp.url } });
    const { userId, email } = await createUser(first.baseUrl, first.adminToken);
    const invited = await rest(first.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
      token: first.adminToken,
      body: {},
    });
    assert.equal(invited.status, 200);
    for (let i = 0; i < 100; i++) {
      const rows = await first.app.db.query<{ attempts: number }>(
        "select attempts from outbox where user_id = $1",
        [userId],
      );
      if ((rows[0]?.attempts ?? 0) >= 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Keep the data: stop the app but not its database (restarted below on the same one).
    await first.app.stop();

    // Second life on the same data: the queued message goes out and its code verifies.
    smtp.rejectWith(undefined);
    const second = await startTestApp({
      dataDir,
      databaseUrl: first.databaseUrl,
      config: { smtpUrl: smtp.url },
    });
    try {
      const mail = await smtp.waitFor((m) => m.to.includes(email), 15_000);
      const got = await rest(second.baseUrl, "GET", `/v2/users/${userId}`, { token: second.adminToken });
      assert.equal(got.status, 200);
      const verified = await rest(second.baseUrl, "POST", `/v2/users/${userId}/invite_code/verify`, {
        token: second.adminToken,
        body: { verificationCode: codeFrom(mail) },
      });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      // The mail has arrived; its outcome is recorded right after the provider's answer.
      const recorded = async () =>
        second.app.db.query<{ status: string; attempts: number; secret: string | null }>(
          "select status, attempts, secret from outbox where user_id = $1",
          [userId],
        );
      let rows = await recorded();
      for (let i = 0; i < 100 && rows[0]?.status === "sending"; i++) {
        await new Promise((r) => setTimeout(r, 50));
        rows = await recorded();
      }
      assert.equal(rows[0]?.status, "sent");
      assert.ok((rows[0]?.attempts ?? 0) >= 2);
      assert.equal(rows[0]?.secret, null, "the encrypted code is wiped after sending");
    } finally {
      await second.app.stop();
      if (first.databaseUrl) await dropDatabase(first.databaseUrl);
    }
  } finally {
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
