import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { loadConfig } from "./load.ts";
import { KEYS } from "./schema.ts";

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

test("bad values fail naming the key, the source, the value and what was expected", () => {
  assert.throws(
    () => loadConfig({ env: { USHER_PORT: "eighty" } }),
    /port \(USHER_PORT\): "eighty" is not a whole number from 0 to 65535/,
  );
  assert.throws(() => loadConfig({ env: { USHER_PORT: "70000" } }), /port \(USHER_PORT\): "70000"/);
  assert.throws(
    () => loadConfig({ env: { USHER_INVITE_CODE_TTL: "soon" } }),
    /inviteCodeTtl \(USHER_INVITE_CODE_TTL\): "soon" is not a duration/,
  );
  assert.throws(
    () => loadConfig({ env: { USHER_INVITE_CODE_LENGTH: "3" } }),
    /inviteCodeLength \(USHER_INVITE_CODE_LENGTH\): "3" is not a whole number from 4 to 20/,
  );
  assert.throws(
    () => loadConfig({ env: { USHER_UI_SUCCESS_URL: "javascript:alert(1)" } }),
    /uiSuccessUrl \(USHER_UI_SUCCESS_URL\): "javascript:alert\(1\)" is not an absolute URL starting with http: or https:/,
  );
  assert.throws(() => loadConfig({ env: { USHER_UI_SUCCESS_URL: "/welcome" } }), /uiSuccessUrl/);
  assert.throws(() => loadConfig({ env: { USHER_LOG_LEVEL: "loud" } }), /logLevel .* is not one of trace,/);
  assert.throws(() => loadConfig({ env: { USHER_TRUSTED_PROXIES: "10.0.0.0/99" } }), /trustedProxies/);
  assert.equal(
    loadConfig({ env: { USHER_UI_SUCCESS_URL: "https://app.example.com/welcome" } }).uiSuccessUrl,
    "https://app.example.com/welcome",
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), "usher-config-"));
  writeFileSync(path.join(dir, "bad.yaml"), "prot: 1\ninviteCodeLength: 99\n");
  const file = path.join(dir, "bad.yaml");
  assert.throws(() => loadConfig({ env: {}, file }), /unknown key "prot"/);
  assert.throws(() => loadConfig({ env: {}, file }), /inviteCodeLength \(.*bad\.yaml\): "99"/);
});

test("every problem is reported at once", () => {
  assert.throws(
    () => loadConfig({ env: { USHER_PORT: "x", USHER_DELIVERY_LEASE: "10ms" } }),
    (e: Error) => e.message.includes("port (USHER_PORT)") && e.message.includes("deliveryLease"),
  );
});

test("a secret's value never appears in an error", () => {
  const secret = "smtp-password-1234";
  for (const env of [
    { USHER_SMTP_URL: `http://user:${secret}@mail` },
    { DATABASE_URL: `mysql://u:${secret}@h/db` },
    { USHER_WEBHOOK_URL: `ftp://${secret}` },
  ]) {
    assert.throws(
      () => loadConfig({ env }),
      (e: Error) => e.message.includes("secret, not shown") && !e.message.includes(secret),
    );
  }
});

test("typed overrides are held to the same bounds; rules between keys apply", () => {
  assert.throws(() => loadConfig({ env: {}, overrides: { dbPoolSize: 0 } }), /dbPoolSize \(override\): 0/);
  assert.throws(() => loadConfig({ env: {}, overrides: { port: 1.5 } }), /port \(override\)/);
  assert.equal(loadConfig({ env: {}, overrides: { dbPoolSize: 3 } }).dbPoolSize, 3);
  assert.throws(
    () => loadConfig({ env: { USHER_HEADERS_TIMEOUT: "40s", USHER_REQUEST_TIMEOUT: "30s" } }),
    /headersTimeout \(USHER_HEADERS_TIMEOUT\) must not exceed requestTimeout/,
  );
  assert.throws(
    () => loadConfig({ env: { USHER_MAIL_PROVIDER: "smtp" } }),
    /needs smtpUrl \(USHER_SMTP_URL\)/,
  );
  assert.throws(() => loadConfig({ env: { USHER_MAIL_PROVIDER: "webhook" } }), /needs webhookUrl/);
});

test("a flag is parsed by its key's rule and names itself", () => {
  assert.equal(loadConfig({ env: {}, flags: [{ key: "port", text: "9200", source: "--port" }] }).port, 9200);
  assert.throws(
    () => loadConfig({ env: {}, flags: [{ key: "port", text: "http", source: "--port" }] }),
    /port \(--port\): "http"/,
  );
});

test("every default passes its own key's rule", () => {
  for (const [key, spec] of KEYS) {
    if (spec.default === undefined) continue;
    assert.notEqual(spec.kind.parse(spec.default), undefined, key);
  }
});
