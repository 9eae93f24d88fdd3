import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { UserState } from "../src/domain/user.ts";
import { rest } from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import {
  adminUserId,
  assertRestError,
  events,
  forceState,
  grant,
  person,
  wrongCode,
} from "./helpers/v2-people.ts";

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
const setPassword = (id: string, body: Record<string, unknown>, token?: string) =>
  post(`/v2/users/${id}/password`, { newPassword: { password: "a good password" }, ...body }, token);

describe("SetPassword (§6.11)", () => {
  test("with a reset code: sets it, keeps change_required, ends the code", async () => {
    const p = await person(t);
    const code = await resetCode(p.userId);
    const res = await setPassword(p.userId, {
      newPassword: { password: "a good password", changeRequired: true },
      verificationCode: code,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const changed = (await events(t, p.userId)).at(-1);
    assert.equal(changed?.type, "user.human.password.changed");
    assert.deepEqual(changed?.payload, { changeRequired: true }, "no hash in the event");
    const user = (await rest(t.baseUrl, "GET", `/v2/users/${p.userId}`, { token: t.adminToken })).body
      .user as {
      human: { passwordChangeRequired?: boolean };
    };
    assert.equal(user.human.passwordChangeRequired, true);
    assertRestError(
      await setPassword(p.userId, { verificationCode: code }),
      400,
      9,
      "Code not found",
      "COMMAND-2M9fs",
    );
  });

  test("code rows: none, wrong, expired, three failures", async () => {
    const p = await person(t);
    assertRestError(
      await setPassword(p.userId, { verificationCode: "ABCDEF" }),
      400,
      9,
      "Code not found",
      "COMMAND-2M9fs",
    );
    const code = await resetCode(p.userId);
    assertRestError(
      await setPassword(p.userId, { verificationCode: wrongCode(code) }),
      400,
      3,
      "Code is invalid",
      "CODE-woT0xc",
    );
    assert.equal(
      (await setPassword(p.userId, { verificationCode: code })).status,
      200,
      "one failure leaves the code usable",
    );
    const second = await resetCode(p.userId);
    for (let i = 0; i < 3; i++)
      assertRestError(
        await setPassword(p.userId, { verificationCode: wrongCode(second) }),
        400,
        3,
        "Code is invalid",
        "CODE-woT0xc",
      );
    assertRestError(
      await setPassword(p.userId, { verificationCode: second }),
      400,
      9,
      "Code not found",
      "COMMAND-2M9fs",
    );
    const third = await resetCode(p.userId);
    t.advance(3_600_000 + 1_000);
    try {
      assertRestError(
        await setPassword(p.userId, { verificationCode: third }),
        400,
        9,
        "Code is expired",
        "CODE-QvUQ4P",
      );
    } finally {
      t.advance(-(3_600_000 + 1_000));
    }
    assertRestError(
      await setPassword(p.userId, { verificationCode: third }),
      400,
      9,
      "Code not found",
      "COMMAND-2M9fs",
    );
  });

  test("a weak password is refused after the code check and leaves the code usable", async () => {
    const p = await person(t);
    const code = await resetCode(p.userId);
    const weak = await setPassword(p.userId, { newPassword: { password: "short" }, verificationCode: code });
    assertRestError(weak, 400, 3, "Password is too short", "DOMAIN-HuJf6");
    assert.equal((await setPassword(p.userId, { verificationCode: code })).status, 200);
  });

  test("with the current password", async () => {
    const p = await person(t);
    assertRestError(
      await setPassword(p.userId, { currentPassword: "anything at all" }),
      400,
      9,
      "User has not set a password",
      "COMMAND-Fds3s",
    );
    assert.equal((await setPassword(p.userId, { newPassword: { password: "first password" } })).status, 200);
    assertRestError(
      await setPassword(p.userId, { currentPassword: "wrong password" }),
      400,
      3,
      "Password is invalid",
      "COMMAND-3M0fs",
    );
    assert.equal((await setPassword(p.userId, { currentPassword: "first password" }, p.token)).status, 200);
  });

  test("without a proof: user.password.set, never self-service", async () => {
    const p = await person(t);
    assertRestError(await setPassword(p.userId, {}, p.token), 404, 5, "membership not found", "AUTHZ-cdgFk");
    const viewer = await person(t);
    await grant(t.app.db, t.defaultOrgId, viewer.userId, ["ORG_USER_VIEWER"]);
    assertRestError(
      await setPassword(p.userId, {}, viewer.token),
      403,
      7,
      "No matching permissions found",
      "AUTH-AWfge",
    );
    const manager = await person(t);
    await grant(t.app.db, t.defaultOrgId, manager.userId, ["ORG_USER_MANAGER"]);
    assert.equal((await setPassword(p.userId, {}, manager.token)).status, 200);
    assertRestError(
      await setPassword(p.userId, { newPassword: { password: "1234567" } }),
      400,
      3,
      "Password is too short",
      "DOMAIN-HuJf6",
    );
  });

  test("user rows: unknown, machine, INITIAL; LOCKED and INACTIVE are fine", async () => {
    assertRestError(await setPassword(unique("x"), {}), 400, 9, "Password not found", "COMMAND-G8dh3");
    assertRestError(await setPassword(adminId, {}), 400, 9, "Password not found", "COMMAND-G8dh3");
    const initial = await person(t);
    await forceState(t.app.db, initial.userId, UserState.Initial);
    assertRestError(
      await setPassword(initial.userId, {}),
      400,
      9,
      "User is not yet initialized",
      "COMMAND-M9dse",
    );
    for (const state of [UserState.Locked, UserState.Inactive]) {
      const p = await person(t);
      await forceState(t.app.db, p.userId, state);
      assert.equal((await setPassword(p.userId, {})).status, 200);
    }
  });

  test("setting a password ends a pending invite", async () => {
    const p = await person(t);
    const invite = await post(`/v2/users/${p.userId}/invite_code`, { returnCode: {} });
    assert.equal((await setPassword(p.userId, {})).status, 200);
    const verify = await post(`/v2/users/${p.userId}/invite_code/verify`, {
      verificationCode: invite.body.inviteCode,
    });
    assertRestError(verify, 400, 3, "Code is invalid", "COMMAND-Wgn4q");
    assertRestError(
      await post(`/v2/users/${p.userId}/invite_code`, {}),
      400,
      9,
      "User is already initialized",
      "COMMAND-EF34g",
    );
  });
});
