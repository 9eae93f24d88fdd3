import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { UserState } from "../src/domain/user.ts";
import { rest } from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import {
  adminUserId,
  assertRestError,
  events,
  eventTypes,
  forceState,
  grant,
  newOrg,
  type Person,
  person,
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
const newAddress = () => `${unique("n")}@example.com`;
const setEmail = (p: Person | string, body: Record<string, unknown>, token?: string) =>
  post(`/v2/users/${typeof p === "string" ? p : p.userId}/email`, { email: newAddress(), ...body }, token);
const returned = async (res: Promise<{ status: number; body: Record<string, unknown> }>) => {
  const r = await res;
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.verificationCode as string;
};

describe("SetEmail (§6.4)", () => {
  test("changes the address, issues a code and ends the old one", async () => {
    const p = await person(t);
    const first = await returned(setEmail(p, { returnCode: {} }));
    const address = newAddress();
    const res = await post(`/v2/users/${p.userId}/email`, {
      email: address,
      sendCode: { urlTemplate: "https://a.example/{{.Code}}" },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.verificationCode, undefined, "a mailed code is not returned");
    const evs = (await events(t, p.userId)).slice(-2);
    assert.deepEqual(
      evs.map((e) => e.type),
      ["user.human.email.changed", "user.human.email.code.added"],
    );
    assert.deepEqual(evs[0]?.payload, { email: address });
    assert.deepEqual(evs[1]?.payload, {
      expiry: 3_600_000_000_000,
      url_template: "https://a.example/{{.Code}}",
      code_returned: false,
    });
    assertRestError(
      await post(`/v2/users/${p.userId}/email/verify`, { verificationCode: first }),
      400,
      3,
      "Code is invalid",
      "COMMAND-eis9R",
    );
    const user = (await rest(t.baseUrl, "GET", `/v2/users/${p.userId}`, { token: t.adminToken })).body
      .user as {
      human: { email: { email: string; isVerified?: boolean } };
    };
    assert.deepEqual(user.human.email, { email: address });
  });

  test("is_verified marks the new address verified without a code", async () => {
    const p = await person(t);
    assert.equal((await setEmail(p, { isVerified: true })).status, 200);
    assert.deepEqual((await eventTypes(t, p.userId)).slice(-2), [
      "user.human.email.changed",
      "user.human.email.verified",
    ]);
    const res = await post(`/v2/users/${p.userId}/email/resend`, {});
    assertRestError(res, 400, 9, "Code is empty", "EMAIL-5w5ilin4yt");
  });

  test("error rows in the spec's order", async () => {
    const p = await person(t);
    const bad = { sendCode: { urlTemplate: "https://x.example/{{.LoginName}}" } };
    assertRestError(await setEmail(unique("nobody"), bad), 400, 3, "URL Template is invalid", "DOMAIN-ieYa7");
    assertRestError(await setEmail(unique("nobody"), {}), 404, 5, "Email not found", "COMMAND-ieJ2e");
    assertRestError(await setEmail(adminId, {}), 404, 5, "Email not found", "COMMAND-ieJ2e");
    const initial = await person(t);
    await forceState(t.app.db, initial.userId, UserState.Initial);
    assertRestError(await setEmail(initial, {}), 400, 9, "User is not yet initialized", "COMMAND-uz0Uu");
    const same = await post(`/v2/users/${p.userId}/email`, { email: p.email, returnCode: {} });
    assertRestError(same, 400, 9, "Email not changed", "COMMAND-Uch5e");
    const pgv = await post(`/v2/users/${p.userId}/email`, { email: p.email, isVerified: false });
    assert.equal(pgv.status, 400);
    assert.equal(pgv.body.message, "invalid SetEmailRequest.IsVerified: value must equal true");
  });

  test("works on LOCKED and INACTIVE users", async () => {
    for (const state of [UserState.Locked, UserState.Inactive]) {
      const p = await person(t);
      await forceState(t.app.db, p.userId, state);
      assert.equal((await setEmail(p, { returnCode: {} })).status, 200);
    }
  });

  test("self-service: mail to itself yes; return_code and is_verified need user.write", async () => {
    const p = await person(t);
    const before = await events(t, p.userId);
    assertRestError(
      await setEmail(p, { isVerified: true }, p.token),
      404,
      5,
      "membership not found",
      "AUTHZ-cdgFk",
    );
    assert.deepEqual(await events(t, p.userId), before, "a denied call changes nothing");
    assert.equal((await setEmail(p, {}, p.token)).status, 200);
    assertRestError(
      await setEmail(p, { returnCode: {} }, p.token),
      404,
      5,
      "membership not found",
      "AUTHZ-cdgFk",
    );
    assertRestError(
      await setEmail(p, { isVerified: true }, p.token),
      404,
      5,
      "membership not found",
      "AUTHZ-cdgFk",
    );
    const viewer = await person(t);
    await grant(t.app.db, t.defaultOrgId, viewer.userId, ["ORG_USER_VIEWER"]);
    assertRestError(
      await setEmail(p, {}, viewer.token),
      403,
      7,
      "No matching permissions found",
      "AUTH-AWfge",
    );
    const manager = await person(t);
    await grant(t.app.db, await newOrg(t.app.db), manager.userId, ["ORG_USER_MANAGER"]);
    // A role only on another organization is no membership on the user's.
    assertRestError(await setEmail(p, {}, manager.token), 404, 5, "membership not found", "AUTHZ-cdgFk");
  });
});
