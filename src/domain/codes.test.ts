import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { CODE_ALPHABET, codeMatches, generateCode, hashCode } from "./codes.ts";

test("codes have the requested length and alphabet", () => {
  for (let i = 0; i < 100; i++) assert.match(generateCode(6), /^[A-Z0-9]{6}$/);
  assert.equal(generateCode(12).length, 12);
});

test("every character of the alphabet occurs, roughly uniformly", () => {
  const counts = new Map<string, number>();
  const sample = generateCode(36_000);
  for (const c of sample) counts.set(c, (counts.get(c) ?? 0) + 1);
  assert.equal(counts.size, CODE_ALPHABET.length);
  for (const n of counts.values()) assert.ok(n > 700 && n < 1300, `count ${n} is far from 1000`);
});

test("the hash verifies the code and nothing else", () => {
  const key = randomBytes(32);
  const stored = hashCode(key, "ABC123");
  assert.ok(codeMatches(key, "ABC123", stored));
  assert.ok(!codeMatches(key, "abc123", stored));
  assert.ok(!codeMatches(key, "ABC124", stored));
  assert.ok(!codeMatches(randomBytes(32), "ABC123", stored));
  assert.ok(!stored.includes("ABC123"));
});
