import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { rest } from "./helpers/clients.ts";
import { startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { spawnUsher } from "./helpers/spawn-usher.ts";
import { dropDatabase, freePort, TEST_DATABASE_URL, TEST_MASTER_KEY, unique } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";
import { until } from "./helpers/wait.ts";

test("two Usher processes on one PostgreSQL: a request retried with the same Idempotency-Key on both sends one mail", async () => {
  const smtp = await startSmtpCatcher();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-idem-"));
  const url = new URL(TEST_DATABASE_URL);
  const dbName = `${url.pathname.slice(1)}_idem_${Date.now()}`;
  const admin = new URL(url);
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`create database "${dbName}"`);
  await client.end();
  url.pathname = `/${dbName}`;
  const env = {
    DATABASE_URL: url.toString(),
    USHER_DATA_DIR: dataDir,
    USHER_MASTER_KEY: TEST_MASTER_KEY,
    USHER_SMTP_URL: smtp.url,
    USHER_DELIVERY_POLL_INTERVAL: "100ms",
  };
  const a = await spawnUsher(await freePort(), env);
  const b = await spawnUsher(await freePort(), env);
  try {
    const token = readFileSync(path.join(dataDir, "admin.pat"), "utf8").trim();
    const { userId, email } = await createUser(a.baseUrl, token);
    const key = unique("idem");
    const call = (base: string) =>
      rest(base, "POST", `/v2/users/${userId}/invite_code`, {
        token,
        headers: { "idempotency-key": key },
        body: {},
      });
    const answers = await Promise.all([call(a.baseUrl), call(b.baseUrl), call(a.baseUrl), call(b.baseUrl)]);
    for (const r of answers) {
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body, answers[0]?.body);
    }
    // Every call has been answered, so the outbox is final: one message, hence one mail.
    const probe = new pg.Client({ connectionString: url.toString() });
    await probe.connect();
    const messages = async () =>
      (await probe.query<{ status: string }>("select status from outbox where user_id = $1", [userId])).rows;
    assert.equal((await messages()).length, 1, "the four calls queued one message");
    await smtp.waitFor((m) => m.to.includes(email));
    await until(async () => (await messages())[0]?.status === "sent", "the message to be recorded as sent");
    assert.equal(smtp.mails.filter((m) => m.to.includes(email)).length, 1);
    await probe.end();
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await smtp.close();
    await dropDatabase(url.toString());
    rmSync(dataDir, { recursive: true, force: true });
  }
});
