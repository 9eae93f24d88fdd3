import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Code } from "@connectrpc/connect";
import { UserState } from "../src/domain/user.ts";
import { rest, userClient } from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import {
  assertRestError,
  assertRpcError,
  events,
  eventTypes,
  forceState,
  type Person,
  person,
  wrongCode,
} from "./helpers/v2-people.ts";

let t: TestApp;
before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
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

describe("SendEmailCode and ResendEmailCode (§6.5)", () => {
  test("resend needs an existing code; send always issues one, even for a verified address", async () => {
    const p = await person(t);
    assertRestError(
      await post(`/v2/users/${p.userId}/email/resend`, {}),
      400,
      9,
      "Code is empty",
      "EMAIL-5w5ilin4yt",
    );
    const a = await returned(post(`/v2/users/${p.userId}/email/send`, { returnCode: {} }));
    const b = await returned(post(`/v2/users/${p.userId}/email/resend`, { returnCode: {} }));
    await returned(post(`/v2/users/${p.userId}/email/resend`, { sendCode: {} }));
    const c = await returned(post(`/v2/users/${p.userId}/email/resend`, { returnCode: {} }));
    for (const old of [a, b].filter((x) => x !== c))
      assertRestError(
        await post(`/v2/users/${p.userId}/email/verify`, { verificationCode: old }),
        400,
        3,
        "Code is invalid",
        "COMMAND-eis9R",
      );
    assert.equal((await post(`/v2/users/${p.userId}/email/verify`, { verificationCode: c })).status, 200);
    assertRestError(
      await post(`/v2/users/${p.userId}/email/resend`, {}),
      400,
      9,
      "Code is empty",
      "EMAIL-5w5ilin4yt",
    );
    const again = await returned(post(`/v2/users/${p.userId}/email/send`, { returnCode: {} }));
    assert.match(again, /^[A-Z0-9]{6}$/);
    const added = (await events(t, p.userId)).at(-1);
    assert.deepEqual(added?.payload, { expiry: 3_600_000_000_000, url_template: "", code_returned: true });
  });

  test("error rows: template, unknown, INITIAL, permission", async () => {
    for (const verb of ["send", "resend"]) {
      const path = (id: string) => `/v2/users/${id}/email/${verb}`;
      const badTemplate = { sendCode: { urlTemplate: "https://x.example/{{.Code" } };
      assertRestError(
        await post(path(unique("x")), badTemplate),
        400,
        3,
        "URL Template is invalid",
        "DOMAIN-oGh5e",
      );
      assertRestError(await post(path(unique("x")), {}), 404, 5, "Email not found", "COMMAND-ieJ2e");
      const initial = await person(t);
      await forceState(t.app.db, initial.userId, UserState.Initial);
      assertRestError(
        await post(path(initial.userId), {}),
        400,
        9,
        "User is not yet initialized",
        "COMMAND-uz0Uu",
      );
      const p = await person(t);
      const other = await person(t);
      assertRestError(
        await post(path(p.userId), {}, other.token),
        404,
        5,
        "membership not found",
        "AUTHZ-cdgFk",
      );
      assertRestError(
        await post(path(p.userId), { returnCode: {} }, p.token),
        404,
        5,
        "membership not found",
        "AUTHZ-cdgFk",
      );
    }
  });

  test("self-service send is allowed (the mail goes to the user)", async () => {
    const p = await person(t);
    assert.equal((await post(`/v2/users/${p.userId}/email/send`, {}, p.token)).status, 200);
    assert.equal((await post(`/v2/users/${p.userId}/email/resend`, {}, p.token)).status, 200);
  });
});

describe("VerifyEmail (§6.6)", () => {
  const verify = (id: string, code: string, token = t.adminToken) =>
    post(`/v2/users/${id}/email/verify`, { verificationCode: code }, token);

  test("wrong, missing and expired codes: verification.failed, then COMMAND-eis9R", async () => {
    const p = await person(t);
    assertRestError(await verify(p.userId, "ABCDEF"), 400, 3, "Code is invalid", "COMMAND-eis9R");
    assert.equal((await eventTypes(t, p.userId)).at(-1), "user.human.email.verification.failed");
    const code = await returned(setEmail(p, { returnCode: {} }));
    assertRestError(await verify(p.userId, wrongCode(code)), 400, 3, "Code is invalid", "COMMAND-eis9R");
    assert.equal((await verify(p.userId, code)).status, 200, "one failure leaves the code usable");
    const expiring = await returned(post(`/v2/users/${p.userId}/email/send`, { returnCode: {} }));
    t.advance(3_600_000 + 1_000);
    try {
      assertRestError(await verify(p.userId, expiring), 400, 3, "Code is invalid", "COMMAND-eis9R");
    } finally {
      t.advance(-(3_600_000 + 1_000));
    }
    assertRestError(await verify(p.userId, expiring), 400, 3, "Code is invalid", "COMMAND-eis9R");
  });

  test("three failures discard the code; a new one works", async () => {
    const p = await person(t);
    const code = await returned(setEmail(p, { returnCode: {} }));
    for (let i = 0; i < 3; i++) await verify(p.userId, wrongCode(code));
    assertRestError(await verify(p.userId, code), 400, 3, "Code is invalid", "COMMAND-eis9R");
    assertRestError(
      await post(`/v2/users/${p.userId}/email/resend`, {}),
      400,
      9,
      "Code is empty",
      "EMAIL-5w5ilin4yt",
    );
    const fresh = await returned(post(`/v2/users/${p.userId}/email/send`, { returnCode: {} }));
    assert.equal((await verify(p.userId, fresh)).status, 200);
  });

  test("needs no permission: any authenticated caller with the code", async () => {
    const p = await person(t);
    const stranger = await person(t);
    const code = await returned(setEmail(p, { returnCode: {} }));
    assert.equal((await verify(p.userId, code, stranger.token)).status, 200);
    const got = await userClient("grpc", t.baseUrl, t.adminToken).getUserByID({ userId: p.userId });
    assert.equal(got.user?.type.case === "human" && got.user.type.value.email?.isVerified, true);
    assert.deepEqual((await eventTypes(t, p.userId)).slice(-1), ["user.human.email.verified"]);
  });

  test("unknown and INITIAL users, on gRPC too", async () => {
    const client = userClient("grpc", t.baseUrl, t.adminToken);
    await assertRpcError(
      client.verifyEmail({ userId: unique("x"), verificationCode: "ABC" }),
      Code.NotFound,
      "Email not found",
      "COMMAND-ieJ2e",
    );
    const initial = await person(t);
    await forceState(t.app.db, initial.userId, UserState.Initial);
    await assertRpcError(
      client.verifyEmail({ userId: initial.userId, verificationCode: "ABC" }),
      Code.FailedPrecondition,
      "User is not yet initialized",
      "COMMAND-uz0Uu",
    );
  });
});
