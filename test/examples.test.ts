import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { PROTOCOLS, rest } from "./helpers/clients.ts";
import { startTestApp, type TestApp, unique } from "./helpers/test-app.ts";

const run = promisify(execFile);
let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t?.stop();
});

for (const protocol of PROTOCOLS) {
  test(`the README's @zitadel/client example works over ${protocol}`, async () => {
    const email = `${unique("example")}@example.com`;
    const { stdout } = await run(process.execPath, ["examples/invite.mjs", email, protocol], {
      env: { ...process.env, USHER_URL: t.baseUrl, USHER_TOKEN: t.adminToken },
    });
    const { userId } = JSON.parse(stdout) as { userId: string };
    const got = await rest(t.baseUrl, "GET", `/v2/users/${userId}`, { token: t.adminToken });
    assert.equal(got.status, 200);
    const outbox = await t.app.db.query<{ message_type: string }>(
      "select message_type from outbox where user_id = $1",
      [userId],
    );
    assert.deepEqual(
      outbox.map((o) => o.message_type),
      ["InviteUser"],
    );
  });
}
