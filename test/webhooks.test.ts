import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { rest } from "./helpers/clients.ts";
import { codeIn, mailboxMail } from "./helpers/dev-mailbox.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { until } from "./helpers/wait.ts";
import { type ReceivedCall, startWebhookReceiver, type WebhookReceiver } from "./helpers/webhook-receiver.ts";

let t: TestApp;
let receiver: WebhookReceiver;

before(async () => {
  t = await startTestApp({ config: { deliveryBackoffBase: 100, deliveryBackoffMax: 400 } });
  receiver = await startWebhookReceiver(0, 30);
});
after(async () => {
  await t?.stop();
  await receiver?.close();
});

const api = (method: string, path: string, body?: unknown) =>
  rest(t.baseUrl, method, path, { token: t.adminToken, headers: { "x-tenant-id": t.defaultOrgId }, body });

const INVITE_EVENTS = [
  "user.human.invite.code.added",
  "user.human.invite.code.sent",
  "user.human.invite.check.succeeded",
];

/** The stored events of one user of the given types, in sequence order. */
async function storedEvents(userId: string, types: readonly string[]) {
  return t.app.db.query<{ sequence: number; type: string }>(
    "select sequence, type from events where aggregate_id = $1 and type = any($2) order by sequence",
    [userId, types],
  );
}

function parsed(call: ReceivedCall) {
  return JSON.parse(call.body) as { type: string; timestamp: string; data: Record<string, unknown> };
}

describe("webhook subscriptions", () => {
  test("invite → resend → accept arrives in order, signed per Standard Webhooks, and nothing else", async () => {
    const created = await api("POST", "/v1/webhooks", {
      url: receiver.url,
      event_types: INVITE_EVENTS,
      description: "invites",
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const secret = created.body.secret as string;
    assert.match(secret, /^whsec_/);
    const hookId = created.body.id as string;
    assert.equal(created.body.status, "active");
    // Paused while the user goes through the flow: the events queue up and go out together on
    // resume, so only the per-user order keeps them in sequence.
    assert.equal((await api("POST", `/v1/webhooks/${hookId}/pause`)).status, 200);

    const email = `${unique("hooked")}@example.com`;
    const user = await api("POST", "/v1/users", { email, name: "Ada Hooked" });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    const userId = user.body.id as string;
    await mailboxMail(t.baseUrl, email, 1);
    const resent = await api("POST", `/v1/users/${userId}/resend-invite`, {});
    assert.equal(resent.status, 200, JSON.stringify(resent.body));
    const code = codeIn(await mailboxMail(t.baseUrl, email, 2));
    const verified = await rest(t.baseUrl, "POST", "/v1/auth/verify-email", {
      headers: { "x-tenant-id": t.defaultOrgId },
      body: { user_id: userId, code },
    });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));

    const expected = await storedEvents(userId, INVITE_EVENTS);
    assert.deepEqual(
      expected.map((e) => e.type),
      [
        "user.human.invite.code.added",
        "user.human.invite.code.sent",
        "user.human.invite.code.added",
        "user.human.invite.code.sent",
        "user.human.invite.check.succeeded",
      ],
    );
    assert.equal((await api("POST", `/v1/webhooks/${hookId}/resume`)).status, 200);
    const mine = () => receiver.calls.filter((c) => parsed(c).data.user_id === userId);
    await receiver.waitFor(() => mine().length >= expected.length);
    // Once every delivery of the user is recorded as done, no further call can come: count then.
    const userDeliveries = () =>
      t.app.db.query<{ status: string }>(
        "select status from webhook_deliveries where webhook_id = $1 and aggregate_id = $2",
        [hookId, userId],
      );
    await until(
      async () => (await userDeliveries()).every((d) => d.status !== "queued" && d.status !== "sending"),
      "the user's webhook deliveries to be done",
    );
    assert.equal((await userDeliveries()).length, expected.length, "one delivery per event");
    const calls = mine();
    assert.equal(calls.length, expected.length, "nothing else, nothing twice");
    const verifier = new Webhook(secret);
    for (const call of calls) verifier.verify(call.body, call.headers as Record<string, string>);
    assert.deepEqual(
      calls.map((c) => [parsed(c).data.sequence, parsed(c).type]),
      expected.map((e) => [e.sequence, e.type]),
    );
    assert.equal(new Set(calls.map((c) => c.headers["webhook-id"])).size, calls.length);
    for (let i = 1; i < calls.length; i++)
      assert.ok(
        (calls[i] as ReceivedCall).arrivedAt >= ((calls[i - 1] as ReceivedCall).answeredAt ?? Infinity),
        "a user's next event is sent only after the earlier one was answered",
      );
    for (const c of calls) {
      assert.doesNotMatch(c.body, new RegExp(code ?? "never"), "no code in a payload");
      assert.equal(parsed(c).data.org_id, t.defaultOrgId);
    }
    const tampered = calls[0] as ReceivedCall;
    assert.throws(() => verifier.verify(`${tampered.body} `, tampered.headers as Record<string, string>));

    const deliveries = await api("GET", `/v1/webhooks/${hookId}/deliveries`);
    assert.equal(deliveries.status, 200);
    const list = deliveries.body.data as { status: string; attempts: { status: number }[] }[];
    assert.ok(list.length >= expected.length);
    for (const d of list) {
      assert.equal(d.status, "delivered");
      assert.equal(d.attempts[0]?.status, 200);
    }
    const removed = await api("DELETE", `/v1/webhooks/${hookId}`);
    assert.equal(removed.status, 204);
  });

  test("a rotated secret: both secrets sign until the old one's time is up", async () => {
    const created = await api("POST", "/v1/webhooks", {
      url: receiver.url,
      event_types: ["user.human.added"],
    });
    const id = created.body.id as string;
    const old = created.body.secret as string;
    const rotated = await api("POST", `/v1/webhooks/${id}/rotate-secret`, { previous_valid_seconds: 3600 });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const fresh = rotated.body.secret as string;
    assert.notEqual(fresh, old);
    assert.ok(rotated.body.previous_secret_expires_at);
    const email = `${unique("rotated")}@example.com`;
    const user = await api("POST", "/v1/users", { email, send_invite: false });
    const userId = user.body.id as string;
    await receiver.waitFor((calls) => calls.some((c) => parsed(c).data.user_id === userId));
    const call = receiver.calls.find((c) => parsed(c).data.user_id === userId) as ReceivedCall;
    assert.equal(String(call.headers["webhook-signature"]).split(" ").length, 2);
    new Webhook(fresh).verify(call.body, call.headers as Record<string, string>);
    new Webhook(old).verify(call.body, call.headers as Record<string, string>);
    assert.deepEqual(Object.keys(parsed(call).data.payload as object).sort(), [
      "displayName",
      "email",
      "firstName",
      "lastName",
      "preferredLanguage",
      "userName",
    ]);
    await api("DELETE", `/v1/webhooks/${id}`);
  });

  test("list, get, update, pause, resume, test call, and validation", async () => {
    const created = await api("POST", "/v1/webhooks", { url: receiver.url, event_types: ["user.locked"] });
    const id = created.body.id as string;
    const listed = await api("GET", "/v1/webhooks");
    assert.ok((listed.body.data as { id: string; secret?: string }[]).some((w) => w.id === id && !w.secret));
    const patched = await api("PATCH", `/v1/webhooks/${id}`, {
      description: "locks",
      event_types: ["user.unlocked"],
    });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.event_types, ["user.unlocked"]);
    assert.equal((await api("POST", `/v1/webhooks/${id}/pause`)).body.status, "paused");
    const got = await api("GET", `/v1/webhooks/${id}`);
    assert.equal(got.body.paused_reason, "paused through the API");
    assert.equal((await api("POST", `/v1/webhooks/${id}/resume`)).body.status, "active");
    const tested = await api("POST", `/v1/webhooks/${id}/test`);
    assert.deepEqual([tested.body.delivered, tested.body.status], [true, 200]);
    const last = receiver.calls.at(-1) as ReceivedCall;
    assert.equal(parsed(last).type, "usher.webhook.test");
    const bad = await api("POST", "/v1/webhooks", { url: receiver.url, event_types: ["user.nonsense"] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, "validation_error");
    const ftp = await api("POST", "/v1/webhooks", {
      url: "ftp://example.com/x",
      event_types: ["user.locked"],
    });
    assert.equal(ftp.status, 400);
    assert.match(String(ftp.body.message), /http or https/);
    assert.equal((await api("GET", "/v1/webhooks/nope")).status, 404);
    await api("DELETE", `/v1/webhooks/${id}`);
  });

  test("a subscriber that keeps failing is retried, then paused with its reason; redelivery sends again", async () => {
    const failing = await startWebhookReceiver();
    try {
      failing.answer(503);
      const created = await api("POST", "/v1/webhooks", {
        url: failing.url,
        event_types: ["user.human.added"],
      });
      const id = created.body.id as string;
      const user = await api("POST", "/v1/users", {
        email: `${unique("down")}@example.com`,
        send_invite: false,
      });
      const userId = user.body.id as string;
      const deliveries = async () =>
        (await api("GET", `/v1/webhooks/${id}/deliveries`)).body.data as {
          id: string;
          status: string;
          attempts: { status: number | null; error: string | null }[];
        }[];
      for (let i = 0; i < 200 && ((await deliveries())[0]?.attempts.length ?? 0) < 2; i++)
        await new Promise((r) => setTimeout(r, 50));
      const retried = (await deliveries())[0];
      assert.equal(retried?.status, "queued");
      assert.equal(retried?.attempts[0]?.status, 503);
      t.advance(25 * 3600_000);
      t.app.webhooks.wake();
      let hook = await api("GET", `/v1/webhooks/${id}`);
      for (let i = 0; i < 200 && hook.body.status !== "paused"; i++) {
        await new Promise((r) => setTimeout(r, 50));
        t.app.webhooks.wake();
        hook = await api("GET", `/v1/webhooks/${id}`);
      }
      assert.equal(hook.body.status, "paused");
      assert.match(String(hook.body.paused_reason), /24 h.*503/);
      assert.equal((await deliveries())[0]?.status, "failed");

      failing.answer(200);
      const deliveryId = (await deliveries())[0]?.id as string;
      const again = await api("POST", `/v1/webhooks/${id}/deliveries/${deliveryId}/redeliver`);
      assert.equal(again.status, 202, JSON.stringify(again.body));
      await api("POST", `/v1/webhooks/${id}/resume`);
      await failing.waitFor((calls) => calls.some((c) => parsed(c).data.user_id === userId));
      await api("DELETE", `/v1/webhooks/${id}`);
    } finally {
      await failing.close();
    }
  });
});
