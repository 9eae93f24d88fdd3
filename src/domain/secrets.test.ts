import assert from "node:assert/strict";
import { test } from "node:test";
import { deriveKeys, open, parseMasterKey, seal } from "./secrets.ts";

const keys = deriveKeys(parseMasterKey(Buffer.alloc(32, 3).toString("base64")));

test("seal and open round-trip; the sealed text does not contain the secret", () => {
  const sealed = seal(keys.replay, "usher_pat_secret", "idempotency/u/k");
  assert.ok(!sealed.includes("usher_pat_secret"));
  assert.ok(!Buffer.from(sealed, "base64").toString("latin1").includes("usher_pat_secret"));
  assert.equal(open(keys.replay, sealed, "idempotency/u/k"), "usher_pat_secret");
});

test("a sealed value opens only with its key and its context", () => {
  const sealed = seal(keys.mailbox, "Your code: ABC123", "mailbox/1/subject");
  assert.throws(() => open(keys.outbox, sealed, "mailbox/1/subject"));
  assert.throws(() => open(keys.mailbox, sealed, "mailbox/2/subject"));
  assert.throws(() => open(keys.mailbox, sealed));
});

test("values sealed without a context (outbox codes) still open", () => {
  assert.equal(open(keys.outbox, seal(keys.outbox, "ABC123")), "ABC123");
});

test("text that was never sealed is refused, not returned", () => {
  assert.throws(() => open(keys.replay, '{"raw_key":"usher_pat_x"}'));
  assert.throws(() => open(keys.replay, ""));
});

test("every purpose has its own key", () => {
  const all = Object.values(keys).map((k) => k.toString("hex"));
  assert.equal(new Set(all).size, all.length);
});
