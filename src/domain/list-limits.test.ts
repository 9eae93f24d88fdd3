import assert from "node:assert/strict";
import { test } from "node:test";
import { limitSearchQueries, listOffset } from "./list-limits.ts";

const leaf = { query: { case: "userNameQuery", value: { userName: "a" } } };
const or = (queries: unknown[]) => ({ query: { case: "orQuery", value: { queries } } });
const not = (query: unknown) => ({ query: { case: "notQuery", value: { query } } });

test("search queries are counted through and/or/not, and refused past the limit", () => {
  limitSearchQueries({ queries: [or([leaf, leaf]), not(leaf)] }, 5);
  assert.throws(() => limitSearchQueries({ queries: [or([leaf, leaf]), not(leaf)] }, 4), /USHER-QRY100/);
  assert.throws(() => limitSearchQueries({ queries: [or(Array(11_000).fill(leaf))] }, 100), /USHER-QRY100/);
  limitSearchQueries({ userId: "x" }, 1);
});

test("the canonical JSON of a request is counted the same way", () => {
  const jLeaf = { emailQuery: { emailAddress: "x", method: "TEXT_QUERY_METHOD_CONTAINS" } };
  const json = { queries: [{ orQuery: { queries: [jLeaf, jLeaf] } }, { notQuery: { query: jLeaf } }] };
  limitSearchQueries(json, 5);
  assert.throws(() => limitSearchQueries(json, 4), /USHER-QRY100/);
});

test("offsets from 2^63 are refused; huge ones below skip everything", () => {
  assert.equal(listOffset(undefined), 0);
  assert.equal(listOffset(5n), 5);
  assert.equal(listOffset((1n << 63n) - 1n), Number.MAX_SAFE_INTEGER);
  assert.throws(() => listOffset(1n << 63n), /USHER-OFS63/);
  assert.throws(() => listOffset((1n << 64n) - 1n), /USHER-OFS63/);
});
