import assert from "node:assert/strict";
import { test } from "node:test";
import type { OutgoingMail, Sender } from "../src/outbox/sender.ts";
import { rest } from "./helpers/clients.ts";
import { startTestApp } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("the worker keeps up to two batches of sends in flight while sends are slow, and sends each message once", async () => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  let inFlight = 0;
  let most = 0;
  const sent: string[] = [];
  const sender: Sender = {
    name: "gated",
    async send(mail: OutgoingMail) {
      most = Math.max(most, ++inFlight);
      await gate;
      inFlight--;
      sent.push(mail.outboxId);
      return { response: "250 ok" };
    },
  };
  const t = await startTestApp({ sender, config: { deliveryPollInterval: 50 } });
  try {
    const users: string[] = [];
    for (let i = 0; i < 30; i++) {
      const { userId } = await createUser(t.baseUrl, t.adminToken);
      const res = await rest(t.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
        token: t.adminToken,
        body: {},
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      users.push(userId);
    }
    // Every send waits at the gate. The worker claims more while at most one batch (10) is in
    // flight, so it holds more than one batch but never more than two, and then waits.
    await until(() => inFlight > 10, 10_000, "more than one batch in flight");
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(most > 10 && most <= 20, `${most} sends in flight at most`);
    open();
    const queued = async () =>
      await t.app.db.query<{ id: string; status: string }>(
        "select id, status from outbox where user_id = any($1::text[]) and status <> 'superseded'",
        [users],
      );
    await until(async () => (await queued()).every((r) => r.status === "sent"), 10_000, "every message sent");
    const ids = (await queued()).map((r) => r.id).sort();
    assert.ok(ids.length >= 30);
    assert.deepEqual([...sent].sort(), ids, "each message sent once");
  } finally {
    open();
    await t.stop();
  }
});
