import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { Code, ConnectError } from "@connectrpc/connect";
import { ActionService } from "@zitadel/proto/zitadel/action/v2beta/action_service_pb.js";
import { clientFor, rest } from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { startWebhookReceiver, type WebhookReceiver } from "./helpers/webhook-receiver.ts";

let t: TestApp;
let receiver: WebhookReceiver;

before(async () => {
  t = await startTestApp();
  receiver = await startWebhookReceiver();
});
after(async () => {
  await t?.stop();
  await receiver?.close();
});

/** ZITADEL's check (`pkg/actions`): `t=<unix>,v1=<hex HMAC-SHA256(key, "<t>.<body>")>`, 300 s tolerance. */
function validZitadelSignature(body: string, header: string, key: string): boolean {
  const parts = header.split(",").map((p) => p.split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isFinite(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac("sha256", key).update(`${t}.${body}`).digest();
  return parts
    .filter(([k]) => k === "v1")
    .some(([, v]) => {
      const sig = Buffer.from(v ?? "", "hex");
      return sig.length === expected.length && timingSafeEqual(sig, expected);
    });
}

describe("zitadel.action.v2beta.ActionService", () => {
  for (const protocol of ["grpc", "connect"] as const) {
    test(`${protocol}: an event execution calls the target with ZITADEL's payload and signature`, async () => {
      const actions = clientFor(ActionService, protocol, t.baseUrl, t.adminToken);
      const created = await actions.createTarget({
        name: unique("target"),
        endpoint: receiver.url,
        timeout: { seconds: 5n, nanos: 0 },
        targetType: { case: "restAsync", value: {} },
      });
      assert.ok(created.id);
      assert.match(created.signingKey, /^[A-Za-z0-9]{32}$/);
      const got = await actions.getTarget({ id: created.id });
      assert.equal(got.target?.endpoint, receiver.url);
      assert.equal(got.target?.targetType.case, "restAsync");
      const listed = await actions.listTargets({});
      assert.ok(listed.targets.some((x) => x.id === created.id));

      await actions.setExecution({
        condition: {
          conditionType: {
            case: "event",
            value: { condition: { case: "event", value: "user.human.added" } },
          },
        },
        targets: [created.id],
      });
      const executions = await actions.listExecutions({});
      assert.ok(executions.executions.some((e) => e.targets.includes(created.id)));

      const email = `${unique(protocol)}@example.com`;
      const user = await rest(t.baseUrl, "POST", "/v1/users", {
        token: t.adminToken,
        headers: { "x-tenant-id": t.defaultOrgId },
        body: { email, name: "Grace Action", send_invite: false },
      });
      const userId = user.body.id as string;
      await receiver.waitFor((calls) => calls.some((c) => JSON.parse(c.body).aggregateID === userId));
      const call = receiver.calls.find((c) => JSON.parse(c.body).aggregateID === userId);
      assert.ok(call);
      assert.ok(
        validZitadelSignature(call.body, String(call.headers["zitadel-signature"]), created.signingKey),
      );
      assert.ok(
        !validZitadelSignature(
          `${call.body} `,
          String(call.headers["zitadel-signature"]),
          created.signingKey,
        ),
      );
      const body = JSON.parse(call.body);
      assert.equal(body.event_type, "user.human.added");
      assert.equal(body.aggregateType, "user");
      assert.equal(body.resourceOwner, t.defaultOrgId);
      assert.equal(body.sequence, 1);
      assert.equal(body.event_payload.email, email);
      assert.ok(body.instanceID);
      assert.ok(body.userID);

      await actions.setExecution({
        condition: {
          conditionType: {
            case: "event",
            value: { condition: { case: "event", value: "user.human.added" } },
          },
        },
        targets: [],
      });
      await actions.deleteTarget({ id: created.id });
      const gone = await actions.getTarget({ id: created.id }).catch((e) => e);
      assert.ok(gone instanceof ConnectError);
      assert.equal(gone.code, Code.NotFound);
    });
  }

  test("other condition kinds answer UNIMPLEMENTED; a signing key is rotated", async () => {
    const actions = clientFor(ActionService, "connect", t.baseUrl, t.adminToken);
    const target = await actions.createTarget({
      name: unique("request"),
      endpoint: receiver.url,
      timeout: { seconds: 5n, nanos: 0 },
      targetType: { case: "restWebhook", value: { interruptOnError: false } },
    });
    const err = await actions
      .setExecution({
        condition: { conditionType: { case: "request", value: { condition: { case: "all", value: true } } } },
        targets: [target.id],
      })
      .catch((e) => e);
    assert.ok(err instanceof ConnectError);
    assert.equal(err.code, Code.Unimplemented);
    const rotated = await actions.updateTarget({
      id: target.id,
      expirationSigningKey: { seconds: 0n, nanos: 0 },
    });
    assert.match(rotated.signingKey ?? "", /^[A-Za-z0-9]{32}$/);
    assert.notEqual(rotated.signingKey, target.signingKey);
    await actions.deleteTarget({ id: target.id });
  });
});
