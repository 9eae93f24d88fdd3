import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  assertV1Error,
  assertV1Plain,
  callV1,
  okJson,
  rest,
  V1_SURFACES,
  type V1Call,
  type V1Surface,
} from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { events, eventTypes, forceState, person } from "./helpers/v2-people.ts";

let t: TestApp;
before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
});
after(async () => {
  await t?.stop();
});

const v1 = (surface: V1Surface, call: V1Call) => callV1(surface, t.baseUrl, t.adminToken, undefined, call);

const updateEmail = (userId: string, email: string, isEmailVerified = false): V1Call => ({
  method: "updateHumanEmail",
  request: { userId, email, isEmailVerified },
  rest: ["PUT", `/users/${userId}/email`, { email, isEmailVerified }],
});
const initialPassword = (userId: string, password: string): V1Call => ({
  method: "setHumanInitialPassword",
  request: { userId, password },
  rest: ["POST", `/users/${userId}/password/_initialize`, { password }],
});

/** A user made by v1 AddHumanUser without a password: INITIAL. */
async function initialUser(): Promise<string> {
  const body = {
    userName: unique("init"),
    profile: { firstName: "Ada", lastName: "Byron" },
    email: { email: `${unique("init")}@example.com` },
  };
  const json = okJson(
    await v1("rest", { method: "addHumanUser", request: body, rest: ["POST", "/users/human", body] }),
  );
  return json.userId as string;
}

const emailOf = async (id: string) =>
  (
    await t.app.db.query<{ email: string; v: boolean }>(
      "select email, email_verified as v from users where id = $1",
      [id],
    )
  )[0];
const mails = async (id: string) =>
  (await t.app.db.query<{ r: string }>("select recipient as r from outbox where user_id = $1", [id])).map(
    (m) => m.r,
  );

describe("v1 UpdateHumanEmail (spec §5.5)", () => {
  for (const surface of V1_SURFACES) {
    test(`${surface}: format, not found, not initialised, not changed — in that order`, async () => {
      const call = (id: string, email: string, verified = false) =>
        v1(surface, updateEmail(id, email, verified));
      const ghost = unique("nobody");
      assertV1Error(await call(ghost, "Ada <ada@example.com>"), 400, 3, "Email is invalid", "EMAIL-599BI");
      assertV1Error(await call(ghost, "ada@example.com"), 400, 9, "Email not found", "COMMAND-0Pe4r");
      assertV1Error(
        await call(await initialUser(), "a@example.com"),
        400,
        9,
        "User is not yet initialized",
        "COMMAND-J8dsk",
      );
      const p = await person(t);
      assertV1Error(await call(p.userId, p.email), 400, 9, "Email not changed", "COMMAND-2b7fM");
      assertV1Error(await call(p.userId, ` ${p.email} `), 400, 9, "Email not changed", "COMMAND-2b7fM");
      assertV1Plain(await call(p.userId, ""), 400, 3, /Email/);
      const address = `${unique("v")}@example.com`;
      const verified = await person(t, { email: { email: address, isVerified: true } });
      assertV1Error(await call(verified.userId, address, true), 400, 9, "Email not changed", "COMMAND-2b7fM");
      assert.deepEqual(await eventTypes(t, p.userId), ["user.human.added"], "refusals change nothing");
    });

    test(`${surface}: a new address gets a mailed code, or is verified at once`, async () => {
      const p = await person(t);
      const moved = `${unique("moved")}@example.com`;
      const details = okJson(await v1(surface, updateEmail(p.userId, moved))).details as Record<
        string,
        unknown
      >;
      assert.equal(details.sequence, "3");
      assert.ok(details.changeDate && !details.creationDate);
      assert.deepEqual(
        (await events(t, p.userId)).slice(1).map((e) => [e.type, e.payload.email]),
        [
          ["user.human.email.changed", moved],
          ["user.human.email.code.added", undefined],
        ],
      );
      assert.deepEqual(await mails(p.userId), [moved]);

      const direct = `${unique("direct")}@example.com`;
      okJson(await v1(surface, updateEmail(p.userId, direct, true)));
      assert.deepEqual((await eventTypes(t, p.userId)).slice(3), [
        "user.human.email.changed",
        "user.human.email.verified",
      ]);
      assert.deepEqual(await emailOf(p.userId), { email: direct, v: true });
      assert.deepEqual(await mails(p.userId), [moved], "no mail for a verified address");
    });

    test(`${surface}: the same address can be marked verified; locked users too`, async () => {
      const p = await person(t);
      okJson(
        await v1(surface, {
          method: "lockUser",
          request: { id: p.userId },
          rest: ["POST", `/users/${p.userId}/_lock`, {}],
        }),
      );
      okJson(await v1(surface, updateEmail(p.userId, p.email, true)));
      assert.deepEqual((await eventTypes(t, p.userId)).slice(2), ["user.human.email.verified"]);
      assert.deepEqual(await emailOf(p.userId), { email: p.email, v: true });
    });
  }
});

describe("v1 SetHumanInitialPassword (spec §5.6)", () => {
  for (const surface of V1_SURFACES) {
    test(`${surface}: not found, not initialised, complexity — then a password that must be changed`, async () => {
      const call = (id: string, pw: string) => v1(surface, initialPassword(id, pw));
      assertV1Error(await call(unique("nobody"), "short"), 400, 9, "Password not found", "COMMAND-G8dh3");
      assertV1Error(
        await call(await initialUser(), "a good password"),
        400,
        9,
        "User is not yet initialized",
        "COMMAND-M9dse",
      );
      const p = await person(t);
      assertV1Error(await call(p.userId, "short"), 400, 3, "Password is too short", "DOMAIN-HuJf6");
      assertV1Plain(await call(p.userId, "x".repeat(73)), 400, 3, /Password/);
      await forceState(t.app.db, p.userId, 2);
      const details = okJson(await call(p.userId, "a good password")).details as Record<string, unknown>;
      assert.ok(details.changeDate && !details.creationDate);
      const last = (await events(t, p.userId)).at(-1);
      assert.equal(last?.type, "user.human.password.changed");
      assert.deepEqual(last?.payload, { changeRequired: true });
      const v2 = await rest(t.baseUrl, "GET", `/v2/users/${p.userId}`, { token: t.adminToken });
      const user = v2.body.user as { state: string; human: { passwordChangeRequired?: boolean } };
      assert.equal(user.state, "USER_STATE_INACTIVE", "the state does not change");
      assert.equal(user.human.passwordChangeRequired, true);
    });
  }
});
