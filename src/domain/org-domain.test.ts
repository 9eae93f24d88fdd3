import assert from "node:assert/strict";
import { test } from "node:test";
import { iamDomainName } from "./org-domain.ts";

test("iamDomainName follows ZITADEL's derivation", () => {
  const cases: Array<[string, string | undefined]> = [
    ["Acme Corp", "acme-corp.usher.example"],
    ["  Acme  ", "-acme-.usher.example"],
    ["Café Zürich", "café-zürich.usher.example"],
    ["R&D / Labs!", "rd--labs.usher.example"],
    ["***", undefined],
    ["-", undefined],
  ];
  for (const [name, expected] of cases) assert.equal(iamDomainName(name, "usher.example"), expected, name);
});

test("iamDomainName keeps labels within 63 and names within 253 characters", () => {
  const long = iamDomainName("a".repeat(100), "usher.example");
  assert.equal(long, `${"a".repeat(63)}.usher.example`);
  const suffix = `${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.example`;
  const cut = iamDomainName("a".repeat(63), suffix) ?? "";
  assert.equal(cut.length, 253);
  assert.ok(cut.endsWith(`.${suffix}`));
});
