import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { KEYS } from "./schema.ts";

test("the README's configuration table lists every key with its variable", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  for (const k of KEYS) {
    assert.ok(readme.includes(`| \`${k.env.join("` / `")}\` | \`${k.key}\` |`), `README lacks ${k.env[0]}`);
  }
});
