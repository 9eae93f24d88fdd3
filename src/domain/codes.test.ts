import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import { CODE_ALPHABET, codeMatches, generateCode, hashCode } from "./codes.ts";

test("codes have the requested length and alphabet", () => {
  for (let i = 0; i < 100; i++) assert.match(generateCode(6), /^[A-Z0-9]{6}$/);
  assert.equal(generateCode(12).length, 12);
});

/** Pearson's chi-square statistic of the characters of `sample` against a uniform alphabet. */
function chiSquare(sample: string, alphabet: string): number {
  const counts = new Map<string, number>([...alphabet].map((c) => [c, 0]));
  for (const c of sample) counts.set(c, (counts.get(c) ?? 0) + 1);
  assert.equal(counts.size, alphabet.length, "only characters of the alphabet");
  const expected = sample.length / alphabet.length;
  let sum = 0;
  for (const n of counts.values()) sum += (n - expected) ** 2 / expected;
  return sum;
}

// 35 degrees of freedom: a uniform generator exceeds 90.5 with probability about 1e-6. A
// `byte % 36` generator (4 characters at 8/256, the rest at 7/256) scores ~700 over this sample.
const SAMPLE = 360_000;
const BOUND = 90.5;

test("characters are uniform: a chi-square bound that modulo bias fails", () => {
  const stat = chiSquare(generateCode(SAMPLE), CODE_ALPHABET);
  assert.ok(stat < BOUND, `chi-square ${stat.toFixed(1)} ≥ ${BOUND}: the generator is biased`);
});

test("the bound is strong enough to catch byte % 36", () => {
  const bytes = randomBytes(SAMPLE);
  const biased = Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("");
  assert.ok(chiSquare(biased, CODE_ALPHABET) > BOUND);
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
