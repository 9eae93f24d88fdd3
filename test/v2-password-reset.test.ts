import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { UserState } from "../src/domain/user.ts";
import { rest } from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { adminUserId, assertRestError, events, forceState, person } from "./helpers/v2-people.ts";

let t: TestApp;
let adminId: string;
before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
  adminId = await adminUserId(t);
});
after(async () => {
  await t?.stop();
});

const post = (path: string, body: unknown, token = t.adminToken) =>
  rest(t.baseUrl, "POST", path, { token, body });
const reset = (id: string, body: unknown = { returnCode: {} }, token?: string) =>
  post(`/v2/users/${id}/password_reset`, body, token);
const resetCode = async (id: string) => {
  const res = await reset(id);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.verificationCode as string;
};

describe("PasswordReset (§6.10)", () => {
  test("issues a code: returned, or mailed as PasswordReset with the URL template", async () => {
    const p = await person(t);
    assert.match(await resetCode(p.userId), /^[A-Z0-9]{6}$/);
    const template = "https://app.example/reset?c={{.Code}}&u={{.UserID}}";
    const mailed = await reset(p.userId, {
      sendLink: { notificationType: "NOTIFICATION_TYPE_Email", urlTemplate: template },
    });
    assert.equal(mailed.status, 200);
    assert.equal(mailed.body.verificationCode, undefined);
    const evs = await events(t, p.userId);
    assert.deepEqual(evs.at(-1)?.payload, {
      expiry: 3_600_000_000_000,
      notificationType: 0,
      url_template: template,
      code_returned: false,
    });
    const queued = await t.app.db.query<{ message_type: string; payload: { urlTemplate: string } }>(
      "select message_type, payload from outbox where user_id = $1 order by created_at desc limit 1",
      [p.userId],
    );
    assert.equal(queued[0]?.message_type, "PasswordReset");
    assert.equal(queued[0]?.payload.urlTemplate, template);
  });

  test("error rows: template → unknown → INITIAL → permission; SMS is not supported", async () => {
    const bad = { sendLink: { urlTemplate: "https://x.example/{{.Nope}}" } };
    assertRestError(await reset(unique("x"), bad), 400, 3, "URL Template is invalid", "DOMAIN-ieYa7");
    assertRestError(await reset(unique("x")), 404, 5, "User could not be found", "COMMAND-SAF4f");
    assertRestError(await reset(adminId), 404, 5, "User could not be found", "COMMAND-SAF4f");
    const initial = await person(t);
    await forceState(t.app.db, initial.userId, UserState.Initial);
    assertRestError(await reset(initial.userId), 400, 9, "User is not yet initialized", "COMMAND-Sfe4g");
    const p = await person(t);
    const other = await person(t);
    assertRestError(await reset(p.userId, {}, other.token), 404, 5, "membership not found", "AUTHZ-cdgFk");
    assert.equal((await reset(p.userId, {}, p.token)).status, 200, "a user may have its own reset mailed");
    assertRestError(
      await reset(p.userId, { returnCode: {} }, p.token),
      404,
      5,
      "membership not found",
      "AUTHZ-cdgFk",
    );
    const sms = await reset(p.userId, { sendLink: { notificationType: "NOTIFICATION_TYPE_SMS" } });
    assert.equal(sms.status, 501);
  });
});
