import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { Code } from "@connectrpc/connect";
import { rest } from "./helpers/clients.ts";
import { dropDatabase, startTestApp, unique } from "./helpers/test-app.ts";
import { createUser, errorId } from "./helpers/users.ts";

const POLICY = `@id("invites-only-to-example-com")
@notice("Invitations go only to addresses at example.com.")
forbid (principal, action == Usher::Action::"user.invite.send", resource is Usher::User)
when { resource has email && !(resource.email like "*@example.com") };
`;

test("an operator forbid with a @notice takes effect at the next start; the tenant API shows the notice", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "usher-policy-"));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-policy-data-"));
  // Both starts share one database; the first is stopped without `stop()`, so it is dropped here.
  let databaseUrl: string | undefined;
  try {
    // Before: no operator policy, an invite to any domain is fine.
    const first = await startTestApp({ dataDir, config: { throttleEnabled: false } });
    databaseUrl = first.databaseUrl;
    const { userId } = await createUser(first.baseUrl, first.adminToken);
    await first.app.db.query("update users set email = $2 where id = $1", [
      userId,
      `${unique("x")}@elsewhere.org`,
    ]);
    const allowed = await rest(first.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
      token: first.adminToken,
      body: {},
    });
    assert.equal(allowed.status, 200);
    await first.app.stop();

    // Next start with USHER_POLICY_DIR: the forbid applies.
    writeFileSync(path.join(dir, "invites.cedar"), POLICY);
    const second = await startTestApp({
      dataDir,
      databaseUrl: first.databaseUrl,
      config: { policyDir: dir, throttleEnabled: false },
    });
    try {
      const zitadel = await rest(second.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
        token: second.adminToken,
        body: {},
      });
      assert.equal(zitadel.status, 403);
      assert.equal(zitadel.body.code, Code.PermissionDenied);
      assert.equal(errorId(zitadel.body), "AUTH-AWfge", "ZITADEL surfaces keep ZITADEL's error shape");

      const tenant = await rest(second.baseUrl, "POST", "/v1/users", {
        token: second.adminToken,
        headers: { "x-tenant-id": second.defaultOrgId },
        body: { email: `${unique("y")}@elsewhere.org` },
      });
      assert.equal(tenant.status, 403, JSON.stringify(tenant.body));
      assert.equal(tenant.body.code, "forbidden");
      assert.deepEqual(tenant.body.notices, ["Invitations go only to addresses at example.com."]);
      const inDomain = await rest(second.baseUrl, "POST", "/v1/users", {
        token: second.adminToken,
        headers: { "x-tenant-id": second.defaultOrgId },
        body: { email: `${unique("z")}@example.com` },
      });
      assert.equal(inDomain.status, 201);
      const check = await rest(second.baseUrl, "POST", "/v1/authz/check", {
        token: second.adminToken,
        headers: { "x-tenant-id": second.defaultOrgId },
        body: { action: "user.invite.send", resource: { type: "user", id: userId } },
      });
      assert.deepEqual(check.body, {
        decision: "deny",
        policies: ["invites-only-to-example-com"],
        notices: ["Invitations go only to addresses at example.com."],
      });
    } finally {
      await second.stop();
    }
  } finally {
    if (databaseUrl) await dropDatabase(databaseUrl);
    rmSync(dir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("a broken operator policy stops the start with a clear message", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "usher-policy-bad-"));
  try {
    writeFileSync(
      path.join(dir, "broken.cedar"),
      'permit (principal, action == Usher::Action::"user.wrte", resource);\n',
    );
    await assert.rejects(startTestApp({ config: { policyDir: dir } }), /broken\.cedar/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
