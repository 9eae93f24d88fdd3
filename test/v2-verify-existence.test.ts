import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { uuidv7 } from "../src/domain/ids.ts";
import { UserState } from "../src/domain/user.ts";
import { rest } from "./helpers/clients.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";
import { assertRestError, eventTypes, forceState, newOrg, type Person, person } from "./helpers/v2-people.ts";

/**
 * The code-checking calls need no permission, so any token may call them on any id. A caller
 * who may not read the target must not learn from the answer whether a user has that id: a
 * missing user answers like a wrong code. A caller who may read it keeps ZITADEL's errors.
 */
let t: TestApp;
/** A user of another organization, without roles: may read no one but itself. */
let stranger: Person;
before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
  stranger = await person(t, {}, await newOrg(t.app.db));
});
after(async () => {
  await t?.stop();
});

const post = (path: string, body: unknown, token = t.adminToken) =>
  rest(t.baseUrl, "POST", path, { token, body });

/** What a caller sees of an answer: status and body (the body holds the error id). */
const seen = (r: { status: number; body: Record<string, unknown> }) => ({ status: r.status, body: r.body });

/** The targets a stranger tries: no such user, a user with a pending code, an INITIAL user. */
async function targets(issue: (userId: string) => Promise<void>) {
  const pending = await person(t);
  await issue(pending.userId);
  const initial = await person(t);
  await forceState(t.app.db, initial.userId, UserState.Initial);
  const bare = await person(t);
  return { missing: uuidv7(), pending: pending.userId, initial: initial.userId, bare: bare.userId };
}

describe("a caller who may not read the user cannot tell a missing user from a wrong code", () => {
  test("VerifyEmail", async () => {
    const ids = await targets(async (id) => {
      assert.equal((await post(`/v2/users/${id}/email/send`, { returnCode: {} })).status, 200);
    });
    const verify = (id: string, token?: string) =>
      post(`/v2/users/${id}/email/verify`, { verificationCode: "WRONG1" }, token);
    const answers = [];
    for (const id of [ids.missing, ids.pending, ids.initial, ids.bare])
      answers.push(seen(await verify(id, stranger.token)));
    for (const a of answers) assert.deepEqual(a, answers[1]);
    assertRestError(await verify(ids.missing, stranger.token), 400, 3, "Code is invalid", "COMMAND-eis9R");
    assert.equal((await eventTypes(t, ids.pending)).at(-1), "user.human.email.verification.failed");
    // A caller who may read the user keeps ZITADEL's exact errors.
    assertRestError(await verify(ids.missing), 404, 5, "Email not found", "COMMAND-ieJ2e");
    assertRestError(await verify(ids.initial), 400, 9, "User is not yet initialized", "COMMAND-uz0Uu");
    assertRestError(await verify(ids.pending), 400, 3, "Code is invalid", "COMMAND-eis9R");
  });

  test("VerifyInviteCode", async () => {
    const ids = await targets(async (id) => {
      assert.equal((await post(`/v2/users/${id}/invite_code`, { returnCode: {} })).status, 200);
    });
    const verify = (id: string, token?: string) =>
      post(`/v2/users/${id}/invite_code/verify`, { verificationCode: "WRONG1" }, token);
    const answers = [];
    for (const id of [ids.missing, ids.pending, ids.initial, ids.bare])
      answers.push(seen(await verify(id, stranger.token)));
    for (const a of answers) assert.deepEqual(a, answers[1]);
    assertRestError(await verify(ids.missing, stranger.token), 400, 3, "Code is invalid", "COMMAND-Wgn4q");
    assertRestError(await verify(ids.missing), 400, 9, "User could not be found", "COMMAND-F5g2h");
  });

  test("SetPassword with a verification code", async () => {
    const ids = await targets(async (id) => {
      assert.equal((await post(`/v2/users/${id}/password_reset`, { returnCode: {} })).status, 200);
    });
    const set = (id: string, token?: string) =>
      post(
        `/v2/users/${id}/password`,
        { newPassword: { password: "a good password" }, verificationCode: "WRONG1" },
        token,
      );
    const answers = [];
    for (const id of [ids.missing, ids.pending, ids.initial, ids.bare])
      answers.push(seen(await set(id, stranger.token)));
    for (const a of answers) assert.deepEqual(a, answers[1]);
    assertRestError(await set(ids.missing, stranger.token), 400, 3, "Code is invalid", "CODE-woT0xc");
    assertRestError(await set(ids.missing), 400, 9, "Password not found", "COMMAND-G8dh3");
    assertRestError(await set(ids.initial), 400, 9, "User is not yet initialized", "COMMAND-M9dse");
    assertRestError(await set(ids.bare), 400, 9, "Code not found", "COMMAND-2M9fs");
  });

  test("the right code still works for any caller: the code is the proof", async () => {
    const p = await person(t);
    const res = await post(`/v2/users/${p.userId}/email/send`, { returnCode: {} });
    const code = res.body.verificationCode as string;
    const ok = await post(`/v2/users/${p.userId}/email/verify`, { verificationCode: code }, stranger.token);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });
});

describe("tenant API end-user endpoints", () => {
  test("an unknown user and a wrong code get the same answer (unchanged: already so)", async () => {
    const created = await rest(t.baseUrl, "POST", "/v1/api-keys", {
      token: t.adminToken,
      headers: { "x-tenant-id": t.defaultOrgId },
      body: { name: "existence", roles: ["admin"] },
    });
    const key = created.body.raw_key as string;
    const user = await rest(t.baseUrl, "POST", "/v1/users", {
      headers: { "x-api-key": key, "x-tenant-id": t.defaultOrgId },
      body: { email: `${uuidv7()}@example.com` },
    });
    assert.equal(user.status, 201, JSON.stringify(user.body));
    const headers = { "x-tenant-id": t.defaultOrgId };
    for (const path of ["/v1/auth/verify-email", "/v1/auth/set-initial-password"]) {
      const answers = [];
      for (const id of [uuidv7(), user.body.id as string]) {
        const body = { user_id: id, code: "WRONG1", password: "a good password" };
        answers.push(seen(await rest(t.baseUrl, "POST", path, { headers, body })));
      }
      assert.equal(answers[0]?.status, 400, path);
      assert.deepEqual(answers[0], answers[1], path);
    }
  });
});
