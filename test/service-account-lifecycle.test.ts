import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { rest } from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { eventTypes } from "./helpers/v2-people.ts";

// Service accounts can be deactivated, locked and removed like people, on v2 and v1,
// and a deactivated, locked or removed account's tokens stop authenticating at once (the
// caller cache hears the state change: migration 0007's triggers).

let t: TestApp;
before(async () => {
  t = await startTestApp({ config: { throttleEnabled: false } });
});
after(async () => {
  await t?.stop();
});

/** A service account with a personal access token and a role that lets the token read users. */
async function account(): Promise<{ userId: string; token: string }> {
  const machine = await rest(t.baseUrl, "POST", "/management/v1/users/machine", {
    token: t.adminToken,
    body: { userName: unique("bot"), name: "Bot" },
  });
  assert.equal(machine.status, 200, JSON.stringify(machine.body));
  const userId = machine.body.userId as string;
  const member = await rest(t.baseUrl, "POST", "/management/v1/orgs/me/members", {
    token: t.adminToken,
    body: { userId, roles: ["ORG_USER_VIEWER"] },
  });
  assert.equal(member.status, 200, JSON.stringify(member.body));
  const pat = await rest(t.baseUrl, "POST", `/management/v1/users/${userId}/pats`, {
    token: t.adminToken,
    body: {},
  });
  assert.equal(pat.status, 200, JSON.stringify(pat.body));
  return { userId, token: pat.body.token as string };
}

/** What the account's token gets from an ordinary authenticated call. */
const works = async (token: string) =>
  (await rest(t.baseUrl, "POST", "/v2/users", { token, body: {} })).status;

const call = (method: string, path: string) =>
  rest(t.baseUrl, method, path, { token: t.adminToken, body: method === "DELETE" ? undefined : {} });

const STATE_PATHS = {
  v2: {
    deactivate: (id: string) => call("POST", `/v2/users/${id}/deactivate`),
    reactivate: (id: string) => call("POST", `/v2/users/${id}/reactivate`),
    lock: (id: string) => call("POST", `/v2/users/${id}/lock`),
    unlock: (id: string) => call("POST", `/v2/users/${id}/unlock`),
    remove: (id: string) => call("DELETE", `/v2/users/${id}`),
  },
  v1: {
    deactivate: (id: string) => call("POST", `/management/v1/users/${id}/_deactivate`),
    reactivate: (id: string) => call("POST", `/management/v1/users/${id}/_reactivate`),
    lock: (id: string) => call("POST", `/management/v1/users/${id}/_lock`),
    unlock: (id: string) => call("POST", `/management/v1/users/${id}/_unlock`),
    remove: (id: string) => call("DELETE", `/management/v1/users/${id}`),
  },
};

for (const [surface, paths] of Object.entries(STATE_PATHS)) {
  describe(`service accounts on ${surface}`, () => {
    test("deactivate / reactivate / lock / unlock switch its tokens off and on", async () => {
      const a = await account();
      assert.equal(await works(a.token), 200);
      const ok = async (res: Promise<{ status: number; body: unknown }>) => {
        const r = await res;
        assert.equal(r.status, 200, JSON.stringify(r.body));
      };
      await ok(paths.deactivate(a.userId));
      assert.equal(await works(a.token), 401, "an inactive account's token is refused");
      await ok(paths.reactivate(a.userId));
      assert.equal(await works(a.token), 200);
      await ok(paths.lock(a.userId));
      assert.equal(await works(a.token), 401, "a locked account's token is refused");
      await ok(paths.unlock(a.userId));
      assert.equal(await works(a.token), 200);
      assert.deepEqual((await eventTypes(t, a.userId)).slice(-4), [
        "user.deactivated",
        "user.reactivated",
        "user.locked",
        "user.unlocked",
      ]);
    });

    test("remove deletes the account with its tokens and memberships", async () => {
      const a = await account();
      const removed = await paths.remove(a.userId);
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.equal(await works(a.token), 401);
      const left = await t.app.db.query(
        "select 1 from tokens where user_id = $1 union all select 1 from members where user_id = $1",
        [a.userId],
      );
      assert.equal(left.length, 0);
      assert.equal((await paths.deactivate(a.userId)).status, 404);
    });
  });
}
