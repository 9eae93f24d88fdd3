import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { rest } from "./helpers/clients.ts";
import { sharedDatabase } from "./helpers/shared-database.ts";
import { spawnUsher, type UsherProcess } from "./helpers/spawn-usher.ts";
import { freePort, unique } from "./helpers/test-app.ts";
import { type ReceivedCall, startWebhookReceiver } from "./helpers/webhook-receiver.ts";

const TYPES = ["user.human.added", "user.deactivated", "user.reactivated"];

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const keyOf = (c: ReceivedCall) => {
  const d = JSON.parse(c.body).data as { user_id: string; sequence: number };
  return { user: d.user_id, sequence: d.sequence, id: String(c.headers["webhook-id"]) };
};

test("receiver down 30 s and a SIGKILL: every event arrives, in order per user, none again after it was recorded", async () => {
  const db = await sharedDatabase();
  const receiver = await startWebhookReceiver(0, 20);
  const env: Record<string, string> = {
    ...db.env,
    USHER_WEBHOOK_ALLOW_PRIVATE: "true",
    USHER_DELIVERY_LEASE: "2s",
    USHER_DELIVERY_POLL_INTERVAL: "200ms",
    USHER_DELIVERY_BACKOFF_BASE: "500ms",
    USHER_DELIVERY_BACKOFF_MAX: "3s",
    USHER_WEBHOOK_CONCURRENCY: "8",
    USHER_LOG_LEVEL: "error",
  };
  const spawned: UsherProcess[] = [];
  const probe = await db.open();
  try {
    let first = await spawnUsher(await freePort(), env);
    spawned.push(first);
    const second = await spawnUsher(await freePort(), env);
    spawned.push(second);
    const token = readFileSync(path.join(env.USHER_DATA_DIR as string, "admin.pat"), "utf8").trim();
    const tenant = (await probe.query<{ default_org_id: string }>("select default_org_id from instance"))[0]
      ?.default_org_id as string;
    const api = (baseUrl: string, method: string, p: string, body?: unknown) =>
      rest(baseUrl, method, p, { token, headers: { "x-tenant-id": tenant }, body });
    const hook = await api(first.baseUrl, "POST", "/v1/webhooks", { url: receiver.url, event_types: TYPES });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));

    const users: string[] = [];
    for (let i = 0; i < 30; i++) {
      const u = await api(second.baseUrl, "POST", "/v1/users", {
        email: `${unique("outage")}@example.com`,
        send_invite: false,
      });
      users.push(u.body.id as string);
    }
    const toggle = async (baseUrl: string) => {
      for (const active of [false, true])
        await Promise.all(users.map((id) => api(baseUrl, "PATCH", `/v1/users/${id}`, { active })));
    };
    await toggle(second.baseUrl);

    // Kill one process while it has calls in flight.
    await until(() => receiver.calls.length >= 20, 30_000, "the first deliveries");
    await first.kill();
    const deliveredAtKill = new Set(
      (await probe.query<{ id: string }>("select id from webhook_deliveries where status = 'delivered'")).map(
        (r) => r.id,
      ),
    );
    const callsAtKill = receiver.calls.length;

    // The receiver goes away for 30 s while events keep coming; then it is back.
    await receiver.down();
    const downAt = Date.now();
    await toggle(second.baseUrl);
    first = await spawnUsher(await freePort(), env);
    spawned.push(first);
    await new Promise((r) => setTimeout(r, Math.max(0, 30_000 - (Date.now() - downAt))));
    await receiver.reopen();

    const expected = await probe.query<{ aggregate_id: string; sequence: number }>(
      // The 30 users' events (the first start's own, before the subscription, are not sent).
      "select aggregate_id, sequence from events where type = any($1) and org_id = $2 and aggregate_id = any($3) order by aggregate_id, sequence",
      [TYPES, tenant, users],
    );
    assert.equal(expected.length, 30 * 5);
    const got = () => new Set(receiver.calls.map((c) => `${keyOf(c).user}/${keyOf(c).sequence}`));
    await until(
      () => expected.every((e) => got().has(`${e.aggregate_id}/${e.sequence}`)),
      90_000,
      "every event",
    );
    await until(
      async () =>
        (await probe.query("select 1 from webhook_deliveries where status in ('queued', 'sending')"))
          .length === 0,
      30_000,
      "an empty queue",
    );

    const calls = receiver.calls.map(keyOf);
    const perUser = new Map<string, number[]>();
    for (const c of calls) perUser.set(c.user, [...(perUser.get(c.user) ?? []), c.sequence]);
    for (const [user, seqs] of perUser)
      for (let i = 1; i < seqs.length; i++)
        assert.ok((seqs[i] as number) >= (seqs[i - 1] as number), `in order for ${user}: ${seqs.join(",")}`);
    const after = calls.slice(callsAtKill);
    for (const c of after)
      assert.ok(!deliveredAtKill.has(c.id), "nothing recorded as delivered is sent again");
    // A call is sent again after a 2xx only when the process that got the 2xx died before it
    // recorded it: at most the calls in flight at the kill. Calls cut off by the outage got no
    // answer, so sending them again is what must happen.
    const answered = receiver.calls.filter((c) => c.answeredAt !== undefined).map((c) => keyOf(c).id);
    const repeats = answered.length - new Set(answered).size;
    assert.ok(repeats <= 8, `repeats after a 2xx only of calls in flight at the kill (${repeats})`);
    const failedAttempts = await probe.query<{ n: number }>(
      "select count(*)::int as n from webhook_attempts where status_code is null",
    );
    assert.ok((failedAttempts[0]?.n ?? 0) > 0, "the outage was seen and recorded");
    const status = await api(second.baseUrl, "GET", `/v1/webhooks/${hook.body.id}`);
    assert.equal(status.body.status, "active", "a 30 s outage does not pause");
  } finally {
    await probe.close();
    await Promise.all(spawned.map((u) => u.stop()));
    await receiver.close();
    await db.drop();
  }
});
