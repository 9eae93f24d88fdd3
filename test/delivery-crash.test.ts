import assert from "node:assert/strict";
import { test } from "node:test";
import { deriveKeys, parseMasterKey } from "../src/domain/secrets.ts";
import { seedOutbox } from "./helpers/seed-outbox.ts";
import { sharedDatabase } from "./helpers/shared-database.ts";
import { startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { spawnUsher } from "./helpers/spawn-usher.ts";
import { freePort, TEST_MASTER_KEY } from "./helpers/test-app.ts";

const keys = deriveKeys(parseMasterKey(TEST_MASTER_KEY));

const deliveryEnv = (smtpUrl: string) => ({
  USHER_SMTP_URL: smtpUrl,
  USHER_DELIVERY_LEASE: "2s",
  USHER_DELIVERY_POLL_INTERVAL: "200ms",
  USHER_DELIVERY_BACKOFF_BASE: "500ms",
  // Sends in flight bound what a kill can repeat (sent, not yet recorded).
  USHER_DELIVERY_CONCURRENCY: "10",
});

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const idOf = (messageId: string) => messageId.replace(/^<|@usher>$/g, "");

test("SIGKILL in the middle of a batch loses no message and repeats none that was recorded as sent", async () => {
  const smtp = await startSmtpCatcher({ delayMs: 15 });
  const db = await sharedDatabase();
  try {
    let seedDb = await db.open();
    const ids = await seedOutbox(seedDb, keys, 150);
    await seedDb.close();

    const first = await spawnUsher(await freePort(), { ...db.env, ...deliveryEnv(smtp.url) });
    await until(() => smtp.mails.length >= 40, 30_000, "the first deliveries");
    await first.kill();

    seedDb = await db.open();
    const sentAtKill = new Set(
      (await seedDb.query<{ id: string }>("select id from outbox where status = 'sent'")).map((r) => r.id),
    );
    await seedDb.close();
    assert.ok(
      sentAtKill.size > 0 && sentAtKill.size < ids.length,
      `killed mid-way (${sentAtKill.size} sent)`,
    );

    const second = await spawnUsher(await freePort(), { ...db.env, ...deliveryEnv(smtp.url) });
    try {
      // Messages the first process handed to SMTP just before the kill have arrived already, but
      // their rows stay "sending" until the lease runs out and this process sends them again; so
      // wait for the queue the process itself reports to be empty, not only for every id to arrive.
      const received = () => new Set(smtp.mails.map((m) => idOf(m.messageId)));
      const queued = async () => {
        const page = await (await fetch(`${second.baseUrl}/metrics`)).text();
        return Number(/^usher_outbox_queued (\d+)$/m.exec(page)?.[1] ?? Number.NaN);
      };
      await until(
        async () => ids.every((id) => received().has(id)) && (await queued()) === 0,
        60_000,
        "every message to arrive and be recorded as sent",
      );
    } finally {
      await second.stop();
    }
    const counts = new Map<string, number>();
    for (const m of smtp.mails) counts.set(idOf(m.messageId), (counts.get(idOf(m.messageId)) ?? 0) + 1);
    const repeated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    assert.deepEqual(
      repeated.filter((id) => sentAtKill.has(id)),
      [],
      "nothing recorded as sent was sent again",
    );
    assert.ok(repeated.length <= 10, `at most the sends in flight may repeat (repeated ${repeated.length})`);

    seedDb = await db.open();
    const statuses = await seedDb.query<{ status: string; n: number }>(
      "select status, count(*)::int as n from outbox group by status",
    );
    await seedDb.close();
    assert.deepEqual(statuses, [{ status: "sent", n: ids.length }]);
  } finally {
    await smtp.close();
    await db.drop();
  }
});

test("two processes on one PostgreSQL deliver 1,000 messages, each exactly once", async () => {
  const smtp = await startSmtpCatcher();
  const db = await sharedDatabase();
  try {
    const seedDb = await db.open();
    const ids = await seedOutbox(seedDb, keys, 1000);
    await seedDb.close();
    const env = { ...db.env, ...deliveryEnv(smtp.url) };
    const [a, b] = await Promise.all([spawnUsher(await freePort(), env), spawnUsher(await freePort(), env)]);
    try {
      await until(() => smtp.mails.length >= ids.length, 120_000, "1,000 deliveries");
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const unique = new Set(smtp.mails.map((m) => m.messageId));
    assert.equal(unique.size, ids.length, "every message arrived");
    assert.equal(smtp.mails.length, ids.length, "none arrived twice");
  } finally {
    await smtp.close();
    await db.drop();
  }
});
