import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { rest } from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";
import { errorId } from "./helpers/users.ts";

let t: TestApp;
before(async () => {
  t = await startTestApp({ config: { passwordMinLength: 12, passwordRequireNumber: true } });
});
after(async () => {
  await t?.stop();
});

const add = (password: string) =>
  rest(t.baseUrl, "POST", "/v2/users/human", {
    token: t.adminToken,
    body: {
      profile: { givenName: "P", familyName: "W" },
      email: { email: `${unique("pw")}@example.com`, isVerified: true },
      password: { password },
    },
  });

test("the configured password policy applies, with ZITADEL's DOMAIN ids", async () => {
  assert.equal(errorId((await add("short1")).body), "DOMAIN-HuJf6");
  assert.equal(errorId((await add("long enough but no digit")).body), "DOMAIN-ZBv4H");
  assert.equal((await add("long enough with 1 digit")).status, 200);
});
