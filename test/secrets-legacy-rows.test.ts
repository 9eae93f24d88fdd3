// Rows written before secrets were sealed at rest: migration 0009 wipes them, and
// whatever still cannot be opened — a record of a process of the previous release, or one sealed
// under another master key — is refused or shown as unreadable, never replayed, run twice, or a 500.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { listMigrations } from "../src/db/migrate.ts";
import { fingerprintMac } from "../src/domain/replay-seal.ts";
import { deriveKeys, parseMasterKey, seal } from "../src/domain/secrets.ts";
import { rest } from "./helpers/clients.ts";
import { startTestApp, TEST_MASTER_KEY, type TestApp, unique } from "./helpers/test-app.ts";

let t: TestApp;
let adminId: string;
before(async () => {
  t = await startTestApp();
  adminId = (await t.app.db.query<{ id: string }>("select admin_user_id as id from instance"))[0]?.id ?? "";
});
after(async () => {
  await t?.stop();
});

const keys = deriveKeys(parseMasterKey(TEST_MASTER_KEY));
const LEAKED = "usher_pat_LEGACYplainRAWkeyTHATmustNEVERbeREPLAYED";

/** POST /v1/api-keys as the admin with an Idempotency-Key. */
const createKey = (key: string, body: unknown) =>
  rest(t.baseUrl, "POST", "/v1/api-keys", {
    token: t.adminToken,
    body,
    headers: { "x-tenant-id": t.defaultOrgId, "idempotency-key": key },
  });

/** The fingerprint the tenant API stores for that request (see api/tenant/handler.ts). */
function tenantFingerprint(body: unknown): string {
  const hash = createHash("sha256").update(JSON.stringify(body)).digest("base64url");
  return fingerprintMac(keys.replayFingerprint, `createApiKey|${t.defaultOrgId}|{}|${hash}`);
}

async function insertRecord(key: string, fingerprint: string, response: string): Promise<void> {
  await t.app.db.query(
    `insert into idempotency_keys (scope, key, fingerprint, status, response, created_at, completed_at)
     values ($1, $2, $3, 'done', $4, $5, $5)`,
    [adminId, key, fingerprint, response, t.app.deps.now()],
  );
}

const keyCount = async () =>
  Number((await t.app.db.query<{ n: string }>("select count(*) as n from api_keys"))[0]?.n);

test("migration 0009 wipes readable idempotency responses and the plain dev mailbox", async () => {
  const key = unique("legacy");
  const body = { name: "legacy", roles: ["viewer"] };
  const legacyFingerprint = `createApiKey|${t.defaultOrgId}|{}|${createHash("sha256").update(JSON.stringify(body)).digest("base64url")}`;
  await insertRecord(key, legacyFingerprint, JSON.stringify({ status: 201, body: { raw_key: LEAKED } }));
  await t.app.db.query(
    `insert into mailbox (id, outbox_id, org_id, recipient, subject, text_body, html_body)
     values ($1, $1, $2, 'old@example.com', 'Your code: OLD123', 'Your code: OLD123', '<p>OLD123</p>')`,
    [unique("mail"), t.defaultOrgId],
  );
  const migration = listMigrations().find((m) => m.name === "secrets_sealed_at_rest");
  assert.ok(migration, "the migration exists");
  await t.app.db.exec(migration.sql);

  const rows = await t.app.db.query<{ fingerprint: string; response: string | null; status: string }>(
    "select fingerprint, response, status from idempotency_keys where key = $1",
    [key],
  );
  assert.deepEqual(rows, [{ fingerprint: "", response: null, status: "done" }]);
  assert.deepEqual(await t.app.db.query("select * from mailbox"), []);

  // A retry with the wiped key is refused, on both surfaces' terms; nothing runs a second time.
  const before = await keyCount();
  const res = await createKey(key, body);
  assert.equal(res.status, 409, JSON.stringify(res.body));
  assert.equal(res.body.code, "conflict");
  assert.ok(!JSON.stringify(res.body).includes(LEAKED));
  assert.equal(await keyCount(), before, "no second key was made");
});

test("a record that cannot be opened (plain, or another master key) is refused, never replayed", async () => {
  const body = { name: "unreadable", roles: ["viewer"] };
  const other = deriveKeys(parseMasterKey(Buffer.alloc(32, 9).toString("base64")));
  const reply = JSON.stringify({ status: 201, body: { raw_key: LEAKED } });
  for (const [why, stored] of [
    ["written in the clear", reply],
    ["sealed under another master key", seal(other.replay, reply)],
  ] as const) {
    const key = unique("unreadable");
    await insertRecord(key, tenantFingerprint(body), stored);
    const before = await keyCount();
    const res = await createKey(key, body);
    assert.equal(res.status, 409, `${why}: ${JSON.stringify(res.body)}`);
    assert.ok(!JSON.stringify(res.body).includes(LEAKED), why);
    assert.equal(await keyCount(), before, `${why}: nothing ran`);
  }
  // The ZITADEL surface answers FAILED_PRECONDITION with the stable id.
  const zKey = unique("unreadable");
  await t.app.db.query(
    `insert into idempotency_keys (scope, key, fingerprint, status, response, created_at, completed_at)
     values ($1, $2, '', 'done', null, $3, $3)`,
    [adminId, zKey, t.app.deps.now()],
  );
  const z = await rest(t.baseUrl, "POST", "/management/v1/users/machine", {
    token: t.adminToken,
    body: { userName: unique("svc"), name: "Service" },
    headers: { "idempotency-key": zKey },
  });
  assert.equal(z.status, 400, JSON.stringify(z.body));
  assert.equal(z.body.code, 9);
  assert.match(String(z.body.message), /IDEM-Rp9Lx/);
});

test("a sealed record replays; a fresh key stores only the sealed response", async () => {
  const key = unique("sealed");
  const body = { name: "sealed", roles: ["viewer"] };
  const first = await createKey(key, body);
  assert.equal(first.status, 201);
  const again = await createKey(key, body);
  assert.deepEqual(again.body, first.body);
  const [row] = await t.app.db.query<{ response: string; fingerprint: string }>(
    "select response, fingerprint from idempotency_keys where scope = $1 and key = $2",
    [adminId, key],
  );
  assert.ok(row);
  assert.ok(!row.response.includes(String(first.body.raw_key)));
  assert.equal(row.fingerprint, tenantFingerprint(body));
  // Moved to another record, the sealed response does not open.
  const moved = unique("moved");
  await insertRecord(moved, tenantFingerprint(body), row.response);
  assert.equal((await createKey(moved, body)).status, 409);
});

test("a plain dev-mailbox row reads as unreadable; the page and the JSON still answer", async () => {
  const id = unique("plain");
  await t.app.db.query(
    `insert into mailbox (id, outbox_id, org_id, recipient, subject, text_body, html_body)
     values ($1, $1, $2, 'plain@example.com', 'Your code: PLN123', 'Your code: PLN123', '<p>PLN123</p>')`,
    [id, t.defaultOrgId],
  );
  const json = await rest(t.baseUrl, "GET", "/dev/mailbox/messages");
  assert.equal(json.status, 200);
  const mail = (json.body.messages as Array<Record<string, string>>).find((m) => m.id === id);
  assert.equal(mail?.subject, "(unreadable message)");
  assert.ok(!JSON.stringify(json.body).includes("PLN123"));
  const page = await fetch(`${t.baseUrl}/dev/mailbox`);
  assert.equal(page.status, 200);
  assert.ok(!(await page.text()).includes("PLN123"));
});
