import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadConfig } from "./load.ts";

test("defaults: port 8080, the embedded database in ./.usher, dev links on localhost", () => {
  const c = loadConfig({ env: {} });
  assert.equal(c.port, 8080);
  assert.equal(c.host, "0.0.0.0");
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.dataDir, path.resolve(".usher"));
  assert.equal(c.externalUrl, "http://localhost:8080");
  assert.equal(c.firstInstancePatPath, path.resolve(".usher/admin.pat"));
  assert.equal(c.inviteCodeTtl, 72 * 3_600_000);
});

test("environment beats the file, which beats defaults", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "usher-config-"));
  const file = path.join(dir, "usher.yaml");
  writeFileSync(file, "port: 9000\ninviteCodeTtl: 24h\nmailFrom: a@b.c\n");
  const c = loadConfig({
    env: { USHER_CONFIG: file, USHER_PORT: "9100", DATABASE_URL: "postgres://x@h/db" },
  });
  assert.equal(c.port, 9100);
  assert.equal(c.inviteCodeTtl, 24 * 3_600_000);
  assert.equal(c.mailFrom, "a@b.c");
  assert.equal(c.databaseUrl, "postgres://x@h/db");
});

test("bad values fail with a message naming the variable", () => {
  assert.throws(
    () => loadConfig({ env: { USHER_PORT: "eighty" } }),
    /USHER_PORT: "eighty" is not a whole number/,
  );
  assert.throws(() => loadConfig({ env: { USHER_INVITE_CODE_TTL: "soon" } }), /USHER_INVITE_CODE_TTL/);
  assert.throws(
    () => loadConfig({ env: { USHER_SMTP_URL: "http://mail" } }),
    /smtpUrl must start with smtp: or smtps:/,
  );
  assert.throws(
    () => loadConfig({ env: { USHER_UI_SUCCESS_URL: "javascript:alert(1)" } }),
    /uiSuccessUrl must start with http: or https:/,
  );
  assert.throws(
    () => loadConfig({ env: { USHER_UI_SUCCESS_URL: "/welcome" } }),
    /uiSuccessUrl is not a valid URL/,
  );
  assert.equal(
    loadConfig({ env: { USHER_UI_SUCCESS_URL: "https://app.example.com/welcome" } }).uiSuccessUrl,
    "https://app.example.com/welcome",
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), "usher-config-"));
  writeFileSync(path.join(dir, "bad.yaml"), "prot: 1\n");
  assert.throws(() => loadConfig({ env: {}, file: path.join(dir, "bad.yaml") }), /unknown key "prot"/);
});
