import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { test } from "node:test";

const SRC = path.resolve(import.meta.dirname, "..");

/** Every TypeScript and SQL file under src/, tests excepted. */
async function sources(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await sources(full)));
    else if (/\.(ts|sql)$/.test(entry.name) && !entry.name.endsWith(".test.ts")) found.push(full);
  }
  return found;
}

test("exactly one statement in src/ inserts into the outbox: enqueueMessages", async () => {
  const sites: string[] = [];
  for (const file of await sources(SRC)) {
    const text = await readFile(file, "utf8");
    for (const m of text.matchAll(/insert\s+into\s+(?:\w+\.)?"?outbox"?(?=[\s(])/gi)) {
      const line = text.slice(0, m.index).split("\n").length;
      sites.push(`${path.relative(SRC, file)}:${line}`);
    }
  }
  assert.equal(sites.length, 1, `outbox INSERT sites: ${sites.join(", ")}`);
  assert.match(sites[0] ?? "", /^outbox[/\\]enqueue\.ts:/);
});
