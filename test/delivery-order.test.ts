import assert from "node:assert/strict";
import { test } from "node:test";
import pino from "pino";
import type { Db } from "../src/db/types.ts";
import { uuidv7 } from "../src/domain/ids.ts";
import { deriveKeys, parseMasterKey, seal } from "../src/domain/secrets.ts";
import { type Enqueued, enqueueMessages } from "../src/outbox/enqueue.ts";
import type { Sender } from "../src/outbox/sender.ts";
import { smtpSender } from "../src/outbox/smtp-sender.ts";
import { OutboxWorker } from "../src/outbox/worker.ts";
import { sharedDatabase } from "./helpers/shared-database.ts";
import { startSmtpCatcher } from "./helpers/smtp-catcher.ts";
import { TEST_MASTER_KEY } from "./helpers/test-app.ts";

const keys = deriveKeys(parseMasterKey(TEST_MASTER_KEY));
const USERS = 40;
const PER_USER = 3;

/** Queues PER_USER invites for each of USERS users, one transaction, each a millisecond newer. */
async function seed(db: Db): Promise<Map<string, string[]>> {
  const order = new Map<string, string[]>();
  const t0 = Date.now();
  const batch: Enqueued[] = [];
  for (let n = 0; n < PER_USER; n++) {
    for (let u = 0; u < USERS; u++) {
      const id = uuidv7();
      const to = `order-${u}@example.com`;
      order.set(to, [...(order.get(to) ?? []), id]);
      const at = new Date(t0 + n * USERS + u);
      batch.push({
        id,
        at,
        message: {
          orgId: "order-org",
          userId: `order-user-${u}`,
          type: "InviteUser",
          codeKind: null,
          recipient: to,
          payload: {
            userId: `order-user-${u}`,
            orgId: "order-org",
            username: to,
            displayName: "Order",
            givenName: "Order",
            preferredLanguage: "en",
          },
          secret: seal(keys.outbox, `CODE${n}`),
          expiresAt: new Date(t0 + 3_600_000),
        },
      });
    }
  }
  await enqueueMessages(db, batch);
  return order;
}

function worker(db: Db, sender: Sender): OutboxWorker {
  return new OutboxWorker({
    db,
    sender,
    log: pino({ level: "silent" }),
    outboxKey: keys.outbox,
    from: "Usher <no-reply@localhost>",
    externalUrl: "http://localhost",
    defaultLanguage: "en",
    maxAttempts: 0,
    pollIntervalMs: 50,
    leaseMs: 10_000,
    backoffBaseMs: 200,
    backoffMaxMs: 1_000,
    concurrency: 32,
    circuit: { threshold: 5, probeMs: 200, probeMaxMs: 1_000 },
    now: () => new Date(),
  });
}

test("two workers on one database mail each user's messages of a type in the order they were queued", {
  timeout: 240_000,
}, async () => {
  // The SMTP server holds every user's first mail back, so a newer message claimed while the
  // older is still being sent (by this worker's batch or by the other worker) would overtake it.
  const smtp = await startSmtpCatcher({ delayFor: (_to, nth) => (nth === 0 ? 400 : 0) });
  const shared = await sharedDatabase();
  // Each worker has its own pool, as two processes would.
  const dbA = await shared.open();
  const dbB = await shared.open();
  const sent = { a: 0, b: 0 };
  const counting = (inner: Sender, side: "a" | "b"): Sender => ({
    name: inner.name,
    async send(mail) {
      const receipt = await inner.send(mail);
      sent[side]++;
      return receipt;
    },
  });
  const senderA = smtpSender(smtp.url);
  const senderB = smtpSender(smtp.url);
  const a = worker(dbA, counting(senderA, "a"));
  const b = worker(dbB, counting(senderB, "b"));
  try {
    const order = await seed(dbA);
    await Promise.all([a.start(), b.start()]);
    const total = USERS * PER_USER;
    const deadline = Date.now() + 60_000;
    while (smtp.mails.length < total) {
      if (Date.now() > deadline) throw new Error(`only ${smtp.mails.length} of ${total} mails arrived`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await Promise.all([a.stop(), b.stop()]);
    const ids = smtp.mails.map((m) => m.messageId.replace(/^<|@usher>$/g, ""));
    assert.equal(new Set(ids).size, total, "no message was mailed twice");
    assert.ok(sent.a > 0 && sent.b > 0, `both workers sent (${sent.a} and ${sent.b})`);
    const overtaken: string[] = [];
    for (const [to, queued] of order) {
      const arrived = smtp.mails
        .filter((m) => m.to.includes(to))
        .map((m) => m.messageId.replace(/^<|@usher>$/g, ""));
      if (arrived.join() !== queued.join()) overtaken.push(to);
    }
    assert.deepEqual(overtaken, [], "every user's mails arrived in the order they were queued");
  } finally {
    await a.stop();
    await b.stop();
    await senderA.close?.();
    await senderB.close?.();
    if (dbB !== dbA) await dbB.close();
    await dbA.close();
    await smtp.close();
    await shared.drop();
  }
});
