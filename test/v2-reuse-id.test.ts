import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { rest } from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.stop();
});

test("a deleted user's id and username can be used again; its event stream continues", async () => {
  const userId = unique("reuse");
  const email = `${unique("reuse")}@example.com`;
  const add = () =>
    rest(t.baseUrl, "POST", "/v2/users/human", {
      token: t.adminToken,
      body: { userId, profile: { givenName: "Re", familyName: "Use" }, email: { email, isVerified: true } },
    });
  const first = await add();
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal((await rest(t.baseUrl, "DELETE", `/v2/users/${userId}`, { token: t.adminToken })).status, 200);
  const second = await add();
  assert.equal(second.status, 200, JSON.stringify(second.body));
  assert.equal(
    (second.body.details as { sequence: string }).sequence,
    "5",
    "after added, verified and removed",
  );
});
