import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  assertV1Error,
  assertV1Plain,
  callV1,
  okJson,
  V1_SURFACES,
  type V1Call,
  type V1Surface,
} from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { adminUserId, eventTypes, person } from "./helpers/v2-people.ts";

let t: TestApp;
let machineId: string;
before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
  machineId = await adminUserId(t);
});
after(async () => {
  await t?.stop();
});

const v1 = (surface: V1Surface, call: V1Call) => callV1(surface, t.baseUrl, t.adminToken, undefined, call);

/** A user made by v1 AddHumanUser: INITIAL with an init code, unless verified with a password. */
async function initial(extra: Record<string, unknown> = {}): Promise<{ userId: string; email: string }> {
  const email = `${unique("init")}@example.com`;
  const body = {
    userName: unique("init"),
    profile: { firstName: "Ada", lastName: "Byron" },
    email: { email },
    ...extra,
  };
  const json = okJson(
    await v1("rest", { method: "addHumanUser", request: body, rest: ["POST", "/users/human", body] }),
  );
  return { userId: json.userId as string, email };
}

const resendInit = (userId: string, email?: string): V1Call => ({
  method: "resendHumanInitialization",
  request: email === undefined ? { userId } : { userId, email },
  rest: ["POST", `/users/${userId}/_resend_initialization`, email === undefined ? {} : { email }],
});
const resendEmail = (userId: string): V1Call => ({
  method: "resendHumanEmailVerification",
  request: { userId },
  rest: ["POST", `/users/${userId}/email/_resend_verification`, {}],
});
const byId = (method: string, id: string, path: string): V1Call => ({
  method,
  request: { id },
  rest: [path === "" ? "DELETE" : "POST", `/users/${id}${path}`, path === "" ? undefined : {}],
});

const userRow = async (id: string) =>
  (
    await t.app.db.query<{ state: number; email: string; email_verified: boolean }>(
      "select state, email, email_verified from users where id = $1",
      [id],
    )
  )[0];
const initHash = async (id: string) =>
  (
    await t.app.db.query<{ code_hash: string | null }>(
      "select code_hash from user_codes where user_id = $1 and kind = 'init'",
      [id],
    )
  )[0]?.code_hash;
const mailsTo = async (id: string) =>
  (
    await t.app.db.query<{ type: string; recipient: string }>(
      "select message_type as type, recipient from outbox where user_id = $1 order by created_at, id",
      [id],
    )
  ).map((m) => `${m.type} ${m.recipient}`);

describe("v1 ResendHumanInitialization (spec §5.3)", () => {
  for (const surface of V1_SURFACES) {
    test(`${surface}: not found, already initialised`, async () => {
      const notFound = (id: string) =>
        v1(surface, resendInit(id)).then((a) =>
          assertV1Error(a, 404, 5, "User could not be found", "COMMAND-2M9df"),
        );
      await notFound(unique("nobody"));
      await notFound(machineId);
      const removed = await initial();
      okJson(await v1(surface, byId("removeUser", removed.userId, "")));
      await notFound(removed.userId);
      const already = (id: string) =>
        v1(surface, resendInit(id)).then((a) =>
          assertV1Error(a, 400, 9, "User is already initialized", "COMMAND-2M9sd"),
        );
      await already((await person(t)).userId);
      await already(
        (
          await initial({
            email: { email: `${unique("ok")}@example.com`, isEmailVerified: true },
            initialPassword: "a good password",
          })
        ).userId,
      );
      assertV1Plain(
        await v1(surface, resendInit((await initial()).userId, "not an address")),
        400,
        3,
        /Email/,
      );
    });

    test(`${surface}: a new code each time; a different address (byte for byte) is changed first`, async () => {
      const u = await initial();
      const firstHash = await initHash(u.userId);
      const same = okJson(await v1(surface, resendInit(u.userId, u.email))).details as Record<
        string,
        unknown
      >;
      assert.ok(same.changeDate && !same.creationDate);
      assert.equal(same.resourceOwner, t.defaultOrgId);
      assert.notEqual(await initHash(u.userId), firstHash, "the old code is replaced");
      const shouted = u.email.toUpperCase();
      okJson(await v1(surface, resendInit(u.userId, shouted)));
      okJson(await v1(surface, resendInit(u.userId)));
      assert.deepEqual((await eventTypes(t, u.userId)).slice(1), [
        "user.human.initialization.code.added",
        "user.human.initialization.code.added",
        "user.human.email.changed",
        "user.human.initialization.code.added",
        "user.human.initialization.code.added",
      ]);
      assert.deepEqual(await mailsTo(u.userId), [
        `InitCode ${u.email}`,
        `InitCode ${u.email}`,
        `InitCode ${shouted}`,
        `InitCode ${shouted}`,
      ]);
      assert.deepEqual(await userRow(u.userId), { state: 6, email: shouted, email_verified: false });
    });

    test(`${surface}: a verified address becomes unverified when it changes`, async () => {
      const u = await initial({ email: { email: `${unique("v")}@example.com`, isEmailVerified: true } });
      const moved = `${unique("moved")}@example.com`;
      okJson(await v1(surface, resendInit(u.userId, moved)));
      assert.deepEqual(await userRow(u.userId), { state: 6, email: moved, email_verified: false });
    });

    test(`${surface}: a locked user with a pending init code is served and INITIAL again`, async () => {
      const u = await initial();
      okJson(await v1(surface, byId("lockUser", u.userId, "/_lock")));
      assert.equal((await userRow(u.userId))?.state, 4);
      assertV1Error(
        await v1(surface, resendEmail(u.userId)),
        400,
        9,
        "User is not yet initialized",
        "COMMAND-E3fbw",
      );
      okJson(await v1(surface, resendInit(u.userId)));
      assert.equal((await userRow(u.userId))?.state, 6);
    });
  }
});

describe("v1 ResendHumanEmailVerification (spec §5.4)", () => {
  for (const surface of V1_SURFACES) {
    test(`${surface}: not found, not initialised, already verified`, async () => {
      for (const id of [unique("nobody"), machineId]) {
        assertV1Error(await v1(surface, resendEmail(id)), 404, 5, "Email not found", "COMMAND-0Pe4r");
      }
      const waiting = await initial();
      assertV1Error(
        await v1(surface, resendEmail(waiting.userId)),
        400,
        9,
        "User is not yet initialized",
        "COMMAND-E3fbw",
      );
      const verified = await person(t, { email: { email: `${unique("v")}@example.com`, isVerified: true } });
      assertV1Error(
        await v1(surface, resendEmail(verified.userId)),
        400,
        9,
        "Email is already verified",
        "COMMAND-3M9ds",
      );
    });

    test(`${surface}: a new code is mailed, with or without an earlier one, in any state`, async () => {
      const p = await person(t);
      const first = okJson(await v1(surface, resendEmail(p.userId))).details as Record<string, unknown>;
      assert.equal(first.sequence, "2");
      assert.ok(first.changeDate && !first.creationDate);
      okJson(await v1(surface, byId("deactivateUser", p.userId, "/_deactivate")));
      okJson(await v1(surface, resendEmail(p.userId)));
      assert.deepEqual(await mailsTo(p.userId), [`VerifyEmail ${p.email}`, `VerifyEmail ${p.email}`]);
      const types = await eventTypes(t, p.userId);
      assert.equal(types.filter((e) => e === "user.human.email.code.added").length, 2);
    });
  }
});
