import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { GROUPS, MINTING_CALLS } from "./escalation/minting-calls.ts";
import { rest } from "./helpers/clients.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";

let t: TestApp;
let tenant: string;

before(async () => {
  t = await startTestApp();
  tenant = t.defaultOrgId;
});
after(async () => {
  await t?.stop();
});

/** A tenant API key of the default tenant, made by `by` (the instance admin by default). */
async function apiKey(role: string, by = t.adminToken): Promise<{ id: string; raw: string }> {
  const res = await rest(t.baseUrl, "POST", "/v1/api-keys", {
    token: by,
    headers: { "x-tenant-id": tenant },
    body: { name: `${role} key`, roles: [role] },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.id as string, raw: res.body.raw_key as string };
}

/** The service account behind a key, as a user_manager finds it (`api-key-<id>`). */
async function accountOf(keyId: string): Promise<string> {
  const rows = await t.app.db.query<{ id: string }>("select id from users where username = $1", [
    `api-key-${keyId}`,
  ]);
  assert.ok(rows[0]);
  return rows[0].id;
}

const mintPat = (token: string, userId: string) =>
  rest(t.baseUrl, "POST", `/management/v1/users/${userId}/pats`, { token, body: {} });

const listKeys = (token: string) =>
  rest(t.baseUrl, "GET", "/v1/api-keys", { token, headers: { "x-tenant-id": tenant } });

describe("a user_manager key cannot make itself admin", () => {
  test("no PAT for the admin key's service account", async () => {
    const admin = await apiKey("admin");
    const manager = await apiKey("user_manager", admin.raw);
    const adminAccount = await accountOf(admin.id);
    const minted = await mintPat(manager.raw, adminAccount);
    assert.equal(minted.status, 403, JSON.stringify(minted.body));
    assert.equal(minted.body.code, 7);
    assert.match(String(minted.body.message), /\(AUTHZ-Esc4lt\)$/);
    // The key still works for what it may do, and still may not create keys.
    const created = await rest(t.baseUrl, "POST", "/v1/api-keys", {
      token: manager.raw,
      headers: { "x-tenant-id": tenant },
      body: { name: "sneaky", roles: ["admin"] },
    });
    assert.equal(created.status, 403);
  });

  test("revoking a key revokes every token of its service account and deactivates it", async () => {
    const admin = await apiKey("admin");
    const account = await accountOf(admin.id);
    // The instance admin may mint a PAT for the account (it holds every permission).
    const pat = await mintPat(t.adminToken, account);
    assert.equal(pat.status, 200, JSON.stringify(pat.body));
    const extra = pat.body.token as string;
    assert.equal((await listKeys(extra)).status, 200);
    const revoked = await rest(t.baseUrl, "DELETE", `/v1/api-keys/${admin.id}`, {
      token: t.adminToken,
      headers: { "x-tenant-id": tenant },
    });
    assert.equal(revoked.status, 204);
    assert.equal((await listKeys(admin.raw)).status, 401);
    assert.equal((await listKeys(extra)).status, 401);
    const state = await t.app.db.query<{ state: number }>("select state from users where id = $1", [account]);
    assert.equal(state[0]?.state, 2);
    const live = await t.app.db.query("select 1 from tokens where user_id = $1 and revoked_at is null", [
      account,
    ]);
    assert.equal(live.length, 0);
  });
});

test("the property files cover every minting call", () => {
  const names = MINTING_CALLS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
  for (const group of GROUPS) {
    assert.ok(
      MINTING_CALLS.some((c) => c.group === group),
      group,
    );
    assert.ok(existsSync(new URL(`./escalation-${group}.test.ts`, import.meta.url)), group);
  }
});
