import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { bcrypt } from "hash-wasm";
import { UserState } from "../src/domain/user.ts";
import { rest } from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { assertRestError, events, eventTypes, forceState, grant, person } from "./helpers/v2-people.ts";

let t: TestApp;
before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
});
after(async () => {
  await t?.stop();
});

const update = (id: string, body: Record<string, unknown>, token = t.adminToken) =>
  rest(t.baseUrl, "PUT", `/v2/users/human/${id}`, { token, body });
const getUser = async (id: string) =>
  (await rest(t.baseUrl, "GET", `/v2/users/${id}`, { token: t.adminToken })).body.user as {
    username: string;
    details: { sequence: string };
    human: {
      profile: Record<string, unknown>;
      email: { email: string; isVerified?: boolean };
      passwordChangeRequired?: boolean;
    };
  };
const seq = (res: { body: Record<string, unknown> }) => (res.body.details as { sequence: string }).sequence;

describe("UpdateHumanUser", () => {
  test("profile: only changed fields are written; an unchanged profile writes nothing", async () => {
    const p = await person(t);
    const res = await update(p.userId, {
      profile: {
        givenName: "Ada",
        familyName: "King",
        nickName: "ak",
        preferredLanguage: "de",
        gender: "GENDER_FEMALE",
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const last = (await events(t, p.userId)).at(-1);
    assert.equal(last?.type, "user.human.profile.changed");
    assert.deepEqual(last?.payload, { lastName: "King", nickName: "ak", preferredLanguage: "de", gender: 1 });
    const again = await update(p.userId, { profile: { givenName: "Ada", familyName: "King" } });
    assert.equal(seq(again), seq(res), "no event, the same sequence");
    const user = await getUser(p.userId);
    assert.equal(user.human.profile.familyName, "King");
    assert.equal(user.human.profile.preferredLanguage, "de");
  });

  test("username: changed, kept, or taken (ALREADY_EXISTS V3-DKcYh)", async () => {
    const p = await person(t);
    const other = await person(t);
    const name = unique("ada");
    assert.equal((await update(p.userId, { username: name })).status, 200);
    assert.deepEqual((await events(t, p.userId)).at(-1)?.payload, { userName: name, oldUserName: p.email });
    const before = (await eventTypes(t, p.userId)).length;
    assert.equal((await update(p.userId, { username: name })).status, 200);
    assert.equal((await eventTypes(t, p.userId)).length, before);
    assertRestError(
      await update(p.userId, { username: other.email.toUpperCase() }),
      409,
      6,
      "User already exists",
      "V3-DKcYh",
    );
    assert.equal((await getUser(p.userId)).username, name);
  });

  test("email: a new address gets a code (returned here); the same one only gets verified", async () => {
    const p = await person(t);
    const address = `${unique("u")}@example.com`;
    const res = await update(p.userId, { email: { email: address, returnCode: {} } });
    assert.match(String(res.body.emailCode), /^[A-Z0-9]{6}$/);
    assert.deepEqual((await eventTypes(t, p.userId)).slice(-2), [
      "user.human.email.changed",
      "user.human.email.code.added",
    ]);
    const count = (await eventTypes(t, p.userId)).length;
    assert.equal((await update(p.userId, { email: { email: address } })).status, 200);
    assert.equal((await eventTypes(t, p.userId)).length, count, "same address, no verification: nothing");
    assert.equal((await update(p.userId, { email: { email: address, isVerified: true } })).status, 200);
    assert.deepEqual((await eventTypes(t, p.userId)).slice(-1), ["user.human.email.verified"]);
    assert.deepEqual((await getUser(p.userId)).human.email, { email: address, isVerified: true });
  });

  test("password: plain with change_required, an imported bcrypt hash, proofs", async () => {
    const p = await person(t);
    const plain = await update(p.userId, {
      password: { password: { password: "new password 1", changeRequired: true } },
    });
    assert.equal(plain.status, 200);
    assert.equal((await getUser(p.userId)).human.passwordChangeRequired, true);
    const hash = await bcrypt({
      password: "imported pw",
      salt: new Uint8Array(16).fill(3),
      costFactor: 4,
      outputType: "encoded",
    });
    assert.equal((await update(p.userId, { password: { hashedPassword: { hash } } })).status, 200);
    const withCurrent = {
      password: { password: { password: "new password 2" }, currentPassword: "imported pw" },
    };
    assert.equal(
      (await update(p.userId, withCurrent, p.token)).status,
      200,
      "the user itself, proving the password",
    );
    const wrong = { password: { password: { password: "new password 3" }, currentPassword: "imported pw" } };
    assertRestError(await update(p.userId, wrong, p.token), 400, 3, "Password is invalid", "COMMAND-3M0fs");
    const reset = await rest(t.baseUrl, "POST", `/v2/users/${p.userId}/password_reset`, {
      token: t.adminToken,
      body: { returnCode: {} },
    });
    const withCode = {
      password: { password: { password: "new password 4" }, verificationCode: reset.body.verificationCode },
    };
    assert.equal((await update(p.userId, withCode)).status, 200);
    assertRestError(await update(p.userId, withCode), 400, 9, "Code not found", "COMMAND-2M9fs");
  });

  test("error rows", async () => {
    const p = await person(t);
    const ok = { profile: { givenName: "A", familyName: "B" } };
    assertRestError(await update(unique("x"), ok), 404, 5, "User could not be found", "COMMAND-ugjs0upun6");
    assertRestError(
      await update(p.userId, { password: { hashedPassword: { hash: "$1$plain-md5" } } }),
      400,
      3,
      "Password hash encoding not supported. Check out https://zitadel.com/docs/concepts/architecture/secrets#hashed-secrets",
      "USER-oz74onzvqr",
    );
    assertRestError(
      await update(p.userId, { password: {} }),
      400,
      3,
      "Password is empty",
      "COMMAND-3klek4sbns",
    );
    assertRestError(
      await update(p.userId, { password: { password: { password: "short" } } }),
      400,
      3,
      "Password is too short",
      "DOMAIN-HuJf6",
    );
    const bad = { email: { email: "x@example.com", sendCode: { urlTemplate: "{{.Nope}}" } } };
    assertRestError(await update(unique("x"), bad), 400, 3, "URL Template is invalid", "DOMAIN-ieYa7");
    const initial = await person(t);
    await forceState(t.app.db, initial.userId, UserState.Initial);
    assertRestError(
      await update(initial.userId, { password: { password: { password: "long enough" } } }),
      400,
      9,
      "User is not yet initialized",
      "COMMAND-M9dse",
    );
    const phone = await update(p.userId, { phone: { phone: "+41791234567" } });
    assert.equal(phone.status, 501);
  });

  test("permissions: profile needs user.write; a denied update changes nothing", async () => {
    const p = await person(t);
    const viewer = await person(t);
    await grant(t.app.db, t.defaultOrgId, viewer.userId, ["ORG_USER_VIEWER"]);
    const before = await getUser(p.userId);
    const change = {
      username: unique("nope"),
      profile: { givenName: "X", familyName: "Y" },
      email: { email: `${unique("z")}@example.com` },
    };
    assertRestError(
      await update(p.userId, change, viewer.token),
      403,
      7,
      "No matching permissions found",
      "AUTH-AWfge",
    );
    assertRestError(await update(p.userId, change, p.token), 404, 5, "membership not found", "AUTHZ-cdgFk");
    assert.deepEqual(await getUser(p.userId), before);
    const manager = await person(t);
    await grant(t.app.db, t.defaultOrgId, manager.userId, ["ORG_USER_MANAGER"]);
    assert.equal((await update(p.userId, change, manager.token)).status, 200);
  });
});
