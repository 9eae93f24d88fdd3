import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { configHelp, withConfigTable } from "./render.ts";
import { KEYS } from "./schema.ts";

test("the README's configuration table is the schema's rendering (npm run config:readme rewrites it)", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  assert.equal(readme, withConfigTable(readme));
});

test("the table and `usher start --help` name every key's variables", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const help = configHelp();
  for (const [key, spec] of KEYS) {
    assert.ok(
      readme.includes(
        `| ${spec.env.map((n) => `\`${n}\``).join(" / ")} | \`${key}\` | ${spec.kind.expected} |`,
      ),
      key,
    );
    assert.ok(help.includes(`  ${spec.env.join(" / ")}\n`), key);
  }
});
