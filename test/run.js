// Runs the whole suite with node's test runner: unit tests beside the sources (src/**/*.test.ts)
// and integration tests (test/**/*.test.ts). Without USHER_TEST_DATABASE_URL it first starts one
// embedded PostgreSQL server (test/helpers/suite-server.ts) and runs the suite on it; each test
// app makes a database of its own there, copied from a migrated template.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || e.name === "artifacts" ? [] : find(p);
    return e.name.endsWith(".test.ts") ? [p] : [];
  });
}

/** Starts the suite's embedded server; resolves to its URL, template database and a stop function. */
async function startSuiteServer() {
  const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/suite-server.ts"], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const line = await new Promise((resolve) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", resolve);
    child.once("exit", () => resolve(undefined));
  });
  if (!line) {
    console.error("the suite's embedded PostgreSQL did not start");
    process.exit(1);
  }
  const { url, template } = JSON.parse(line);
  return {
    url,
    template,
    async stop() {
      child.stdin.end();
      await exited;
    },
  };
}

const filters = process.argv.slice(2);
const files = [...find("src"), ...find("test")].filter(
  (f) => filters.length === 0 || filters.some((x) => f.includes(x)),
);
const env = { ...process.env };
let server;
if (!env.USHER_TEST_DATABASE_URL) {
  const t0 = performance.now();
  server = await startSuiteServer();
  env.USHER_TEST_DATABASE_URL = server.url;
  env.USHER_TEST_TEMPLATE_DATABASE = server.template;
  console.log(`embedded PostgreSQL for the suite ready in ${Math.round(performance.now() - t0)} ms`);
}
// The hosted-page tests drive Debian's Chromium. Outside CI a machine without it still runs
// everything else, and says loudly that the browser tests were skipped; in CI they must run.
if (!existsSync("/usr/bin/chromium") && !process.env.CI && env.USHER_SKIP_BROWSER_TESTS === undefined) {
  console.log(
    "Chromium is not installed (apt-get install chromium): the browser tests are SKIPPED this run.",
  );
  env.USHER_SKIP_BROWSER_TESTS = "1";
}
console.log(
  `running ${files.length} test files on ${server ? "the embedded PostgreSQL" : "the PostgreSQL of USHER_TEST_DATABASE_URL"}`,
);
const result = spawnSync(
  process.execPath,
  // A file's tests together may take 5 minutes: the process tests (several Usher and PostgreSQL
  // starts each) run long on a busy machine; the limit is there to end a hang, not to time them.
  ["--import", "tsx", "--test", "--test-concurrency=2", "--test-timeout=300000", ...files],
  { stdio: "inherit", env },
);
await server?.stop();
process.exit(result.status ?? 1);
