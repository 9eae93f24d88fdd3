import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { hashPassword } from "../src/domain/passwords.ts";
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
import { eventTypes } from "./helpers/v2-people.ts";

let t: TestApp;
before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
});
after(async () => {
  await t?.stop();
});

type Body = Record<string, unknown>;
const person = (extra: Body = {}): Body => ({
  userName: unique("v1"),
  profile: { firstName: "Grace", lastName: "Hopper" },
  email: { email: `${unique("v1")}@example.com` },
  ...extra,
});
const add = (body: Body): V1Call => ({
  method: "addHumanUser",
  request: body,
  rest: ["POST", "/users/human", body],
});
const importing = (body: Body): V1Call => ({
  method: "importHumanUser",
  request: body,
  rest: ["POST", "/users/human/_import", body],
});
const verified = (b: Body) => ({ ...b, email: { ...(b.email as Body), isEmailVerified: true } });

/** Calls as the instance admin in the default organization; returns the user's id and view. */
async function created(surface: V1Surface, call: V1Call) {
  const json = okJson(await callV1(surface, t.baseUrl, t.adminToken, undefined, call));
  const userId = json.userId as string;
  assert.deepEqual(Object.keys(json.details as Body).sort(), ["creationDate", "resourceOwner", "sequence"]);
  const v2 = await rest(t.baseUrl, "GET", `/v2/users/${userId}`, { token: t.adminToken });
  const human = (v2.body.user as Body).human as Body;
  const mails = await t.app.db.query<{ type: string }>(
    "select message_type as type from outbox where user_id = $1",
    [userId],
  );
  return {
    userId,
    details: json.details as Body,
    state: (v2.body.user as Body).state,
    changeRequired: human.passwordChangeRequired === true,
    events: await eventTypes(t, userId),
    mails: mails.map((m) => m.type),
  };
}

const INIT = "user.human.initialization.code.added";

describe("v1 AddHumanUser (spec §5.1)", () => {
  for (const surface of V1_SURFACES) {
    test(`${surface}: an init code exactly when the email is unverified or there is no password`, async () => {
      const plain = await created(surface, add(person()));
      assert.deepEqual(plain.events, ["user.human.added", INIT]);
      assert.equal(plain.state, "USER_STATE_INITIAL");
      assert.deepEqual(plain.mails, ["InitCode"]);
      assert.equal(plain.details.sequence, "2");
      assert.equal(plain.details.resourceOwner, t.defaultOrgId);

      const ready = await created(surface, add(verified(person({ initialPassword: "a good password" }))));
      assert.deepEqual(ready.events, ["user.human.added", "user.human.email.verified"]);
      assert.equal(ready.state, "USER_STATE_ACTIVE");
      assert.deepEqual(ready.mails, [], "no mail: nothing to initialise");
      assert.ok(ready.changeRequired, "v1 AddHumanUser always asks for a new password");

      const noPassword = await created(surface, add(verified(person())));
      assert.deepEqual(noPassword.events, ["user.human.added", "user.human.email.verified", INIT]);
      assert.equal(noPassword.details.sequence, "3");
      assert.equal(noPassword.state, "USER_STATE_INITIAL");

      const unverified = await created(surface, add(person({ initialPassword: "a good password" })));
      assert.deepEqual(unverified.events, ["user.human.added", INIT]);
      assert.ok(unverified.changeRequired);
    });

    test(`${surface}: the checks in ZITADEL's order, with its ids`, async () => {
      const v1 = (body: Body) => callV1(surface, t.baseUrl, t.adminToken, undefined, add(body));
      const badEmail = { email: "Grace <grace@example.com>" };
      assertV1Error(
        await v1(person({ email: badEmail, userName: " " })),
        400,
        3,
        "Email is invalid",
        "EMAIL-599BI",
      );
      assertV1Error(
        await v1(person({ userName: "  ", profile: { firstName: " ", lastName: "x" } })),
        400,
        3,
        "Errors.Invalid.Argument",
        "V2-zzad3",
      );
      const names = (firstName: string, lastName: string) => person({ profile: { firstName, lastName } });
      assertV1Error(await v1(names(" ", " ")), 400, 3, "First name in profile is empty", "USER-UCej2");
      assertV1Error(await v1(names("Grace", "\t")), 400, 3, "Last name in profile is empty", "USER-4hB7d");
      assertV1Error(
        await v1(person({ initialPassword: "short" })),
        400,
        3,
        "Password is too short",
        "DOMAIN-HuJf6",
      );
      const taken = person();
      okJson(await v1(taken));
      const again = { ...person(), userName: (taken.userName as string).toUpperCase() };
      assertV1Error(await v1(again), 409, 6, "User already exists", "V3-DKcYh");
      assertV1Plain(await v1({ userName: unique("x"), email: { email: "a@b.example" } }), 400, 3, /Profile/);
      assertV1Plain(await v1(person({ email: { email: "no-at-sign" } })), 400, 3, /Email\.Email/);
      assertV1Plain(await v1(person({ phone: { phone: "+41790000000" } })), 501, 12, /phone/);
    });
  }
});

describe("v1 ImportHumanUser (spec §5.2)", () => {
  for (const surface of V1_SURFACES) {
    test(`${surface}: plain or hashed passwords, change-required rules, init codes`, async () => {
      const keep = await created(
        surface,
        importing(verified(person({ password: "a good password", passwordChangeRequired: false }))),
      );
      assert.deepEqual(keep.events, ["user.human.added", "user.human.email.verified"]);
      assert.equal(keep.state, "USER_STATE_ACTIVE");
      assert.equal(keep.changeRequired, false, "honoured for a plain password");

      const change = await created(
        surface,
        importing(person({ password: "a good password", passwordChangeRequired: true })),
      );
      assert.deepEqual(change.events, ["user.human.added", INIT], "unverified email: init code");
      assert.ok(change.changeRequired);

      const hash = await hashPassword("imported secret");
      const hashed = await created(
        surface,
        importing(verified(person({ hashedPassword: { value: hash }, passwordChangeRequired: true }))),
      );
      assert.equal(hashed.state, "USER_STATE_ACTIVE");
      assert.equal(hashed.changeRequired, false, "imported hashes never require a change");

      const bare = await created(surface, importing(verified(person())));
      assert.deepEqual(bare.events, ["user.human.added", "user.human.email.verified", INIT]);
      assert.deepEqual(bare.mails, ["InitCode"]);
    });

    test(`${surface}: username first, then names, then email`, async () => {
      const v1 = (body: Body) => callV1(surface, t.baseUrl, t.adminToken, undefined, importing(body));
      const blank = person({ userName: " ", email: { email: "Grace <grace@example.com>" } });
      assertV1Error(await v1(blank), 400, 3, "Username is empty", "COMMAND-00p2b");
      const unnamed = person({
        profile: { firstName: " ", lastName: "Hopper" },
        email: { email: "G <g@x.example>" },
      });
      assertV1Error(await v1(unnamed), 400, 3, "First name in profile is empty", "USER-UCej2");
      assertV1Error(
        await v1(person({ email: { email: "Grace <grace@example.com>" } })),
        400,
        3,
        "Email is invalid",
        "EMAIL-599BI",
      );
      assertV1Error(await v1(person({ password: "short" })), 400, 3, "Password is too short", "DOMAIN-HuJf6");
      const idp = { configId: "idp", externalUserId: "ext" };
      assertV1Plain(await v1(person({ idps: [idp] })), 501, 12, /IdP links/);
    });
  }
});
