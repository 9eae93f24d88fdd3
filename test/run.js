// Runs the whole suite with node's test runner: unit tests beside the sources (src/**/*.test.ts)
// and integration tests (test/**/*.test.ts). On PGlite it first prepares one migrated database
// folder that every test app copies, so each file does not pay for initdb.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || e.name === "artifacts" ? [] : find(p);
    return e.name.endsWith(".test.ts") ? [p] : [];
  });
}

const filters = process.argv.slice(2);
const files = [...find("src"), ...find("test")].filter(
  (f) => filters.length === 0 || filters.some((x) => f.includes(x)),
);
const env = { ...process.env };
if (!env.USHER_TEST_DATABASE_URL) {
  const template = path.join(os.tmpdir(), `usher-pglite-template-${process.pid}`);
  const prepared = spawnSync(
    process.execPath,
    ["--import", "tsx", "test/helpers/prepare-template.ts", template],
    {
      stdio: "inherit",
    },
  );
  if (prepared.status !== 0) process.exit(prepared.status ?? 1);
  env.USHER_TEST_PGLITE_TEMPLATE = template;
}
// The hosted-page tests drive Debian's Chromium. Outside CI a machine without it still runs
// everything else, and says loudly that the browser tests were skipped; in CI they must run.
if (!existsSync("/usr/bin/chromium") && !process.env.CI && env.USHER_SKIP_BROWSER_TESTS === undefined) {
  console.log(
    "Chromium is not installed (apt-get install chromium): the browser tests are SKIPPED this run.",
  );
  env.USHER_SKIP_BROWSER_TESTS = "1";
}
console.log(`running ${files.length} test files on ${env.USHER_TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"}`);
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=300000", ...files],
  { stdio: "inherit", env },
);
if (env.USHER_TEST_PGLITE_TEMPLATE) {
  const { rmSync } = await import("node:fs");
  rmSync(env.USHER_TEST_PGLITE_TEMPLATE, { recursive: true, force: true });
}
process.exit(result.status ?? 1);
