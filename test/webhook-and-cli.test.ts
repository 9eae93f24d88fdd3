import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { promisify } from "node:util";
import { rest } from "./helpers/clients.ts";
import { startTestApp, TEST_MASTER_KEY } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";
import { until } from "./helpers/wait.ts";

const run = promisify(execFile);

test("the webhook provider posts signed JSON; 4xx fails at once, 5xx is retried; usher mail shows and retries", async () => {
  const received: Array<{ body: Record<string, unknown>; signature: string; raw: string }> = [];
  let answer = 200;
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => {
      raw += d;
    });
    req.on("end", () => {
      received.push({ body: JSON.parse(raw), signature: String(req.headers["x-usher-signature"]), raw });
      res.writeHead(answer).end(answer === 200 ? "accepted" : "nope");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const t = await startTestApp({
    config: {
      webhookUrl: url,
      webhookSecret: "s3cret",
      deliveryBackoffBase: 300,
      deliveryBackoffMax: 600,
      deliveryPollInterval: 100,
    },
  });
  const waitStatus = async (userId: string, status: string) => {
    for (let i = 0; i < 100; i++) {
      const rows = await t.app.db.query<{
        id: string;
        status: string;
        attempts: number;
        last_error: string | null;
      }>("select id, status, attempts, last_error from outbox where user_id = $1", [userId]);
      if (rows[0]?.status === status) return rows[0];
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`message of ${userId} never reached ${status}`);
  };
  try {
    const ok = await createUser(t.baseUrl, t.adminToken);
    await rest(t.baseUrl, "POST", `/v2/users/${ok.userId}/invite_code`, { token: t.adminToken, body: {} });
    await waitStatus(ok.userId, "sent");
    const hit = received.at(-1);
    assert.ok(hit);
    const [tPart, v1Part] = hit.signature.split(",");
    const ts = tPart?.slice(2);
    assert.equal(v1Part?.slice(3), createHmac("sha256", "s3cret").update(`${ts}.${hit.raw}`).digest("hex"));
    const args = hit.body.args as Record<string, string>;
    assert.equal(args.userID, ok.userId);
    assert.match(args.code ?? "", /^[A-Z0-9]{6}$/);
    assert.equal((hit.body.contextInfo as Record<string, string>).recipientEmailAddress, ok.email);

    answer = 503;
    const flaky = await createUser(t.baseUrl, t.adminToken);
    await rest(t.baseUrl, "POST", `/v2/users/${flaky.userId}/invite_code`, { token: t.adminToken, body: {} });
    await until(
      () =>
        received.filter((r) => (r.body.args as Record<string, string>).userID === flaky.userId).length >= 2,
      "the 503 answered message to be tried twice",
    );
    answer = 200;
    await waitStatus(flaky.userId, "sent");

    answer = 400;
    const refused = await createUser(t.baseUrl, t.adminToken);
    await rest(t.baseUrl, "POST", `/v2/users/${refused.userId}/invite_code`, {
      token: t.adminToken,
      body: {},
    });
    const failed = await waitStatus(refused.userId, "failed");
    assert.equal(failed.attempts, 1);
    assert.match(failed.last_error ?? "", /400/);

    // The operator's view and a retry, through the CLI on the same database.
    await t.app.stop();
    const env = {
      ...process.env,
      USHER_DATA_DIR: t.dataDir,
      USHER_MASTER_KEY: TEST_MASTER_KEY,
      USHER_WEBHOOK_URL: url,
    };
    if (t.databaseUrl) Object.assign(env, { DATABASE_URL: t.databaseUrl });
    const list = await run(process.execPath, ["bin/usher.js", "mail", "list", "--status", "failed"], { env });
    assert.ok(list.stdout.includes(failed.id) && list.stdout.includes("webhook answered 400"));
    const show = await run(process.execPath, ["bin/usher.js", "mail", "show", failed.id, "--json"], { env });
    assert.equal(JSON.parse(show.stdout).status, "failed");
    assert.ok(!show.stdout.includes("secret"));
    const retried = await run(process.execPath, ["bin/usher.js", "mail", "retry", failed.id], { env });
    assert.match(retried.stdout, /queued/);
    const again = await run(process.execPath, ["bin/usher.js", "mail", "show", failed.id, "--json"], { env });
    assert.equal(JSON.parse(again.stdout).status, "queued");
  } finally {
    await t.stop().catch(() => {});
    server.close();
  }
});

test("usher mail test sends one message through the configured SMTP server and prints its reply", async () => {
  const { startSmtpCatcher } = await import("./helpers/smtp-catcher.ts");
  const smtp = await startSmtpCatcher();
  const dir = (await import("node:fs")).mkdtempSync(
    (await import("node:path")).join((await import("node:os")).tmpdir(), "usher-mailtest-"),
  );
  try {
    const env = {
      ...process.env,
      USHER_DATA_DIR: dir,
      USHER_SMTP_URL: smtp.url,
      USHER_MASTER_KEY: TEST_MASTER_KEY,
    };
    delete (env as Record<string, string | undefined>).DATABASE_URL;
    const out = await run(process.execPath, ["bin/usher.js", "mail", "test", "--to", "ops@example.com"], {
      env,
    });
    assert.match(out.stdout, /sent through smtp: 250/);
    const mail = await smtp.waitFor((m) => m.to.includes("ops@example.com"));
    assert.equal(mail.subject, "Usher test message");
  } finally {
    await smtp.close();
    (await import("node:fs")).rmSync(dir, { recursive: true, force: true });
  }
});
