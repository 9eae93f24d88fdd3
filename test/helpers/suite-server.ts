// The embedded PostgreSQL server `npm test` runs the suite on (see test/run.js): started once in
// a temporary folder, with a migrated template database that each test app's database copies.
// Prints `{"url", "template"}` as one line once ready; stops the server and removes the folder
// when its standard input closes.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { EmbeddedServer } from "../../src/db/embedded/server.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openPostgres } from "../../src/db/postgres.ts";

const TEMPLATE = "usher_template";
const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-suite-"));
const log = {
  info() {},
  warn(o: object, msg: string) {
    process.stderr.write(`suite server: ${msg} ${JSON.stringify(o)}\n`);
  },
  error(o: object, msg: string) {
    process.stderr.write(`suite server: ${msg} ${JSON.stringify(o)}\n`);
  },
};
// Durability is not what a test run needs: no fsync, no waiting for the WAL at commit.
const server = new EmbeddedServer({
  dataDir,
  log,
  settings: { fsync: "off", synchronous_commit: "off", full_page_writes: "off", max_connections: "300" },
});
const stop = async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.stdin.on("end", () => void stop());
process.stdin.resume();
try {
  await server.start();
  const admin = await openPostgres(server.url("postgres"), 1);
  await admin.exec(`create database ${TEMPLATE}`);
  await admin.close();
  const template = await openPostgres(server.url(TEMPLATE), 1);
  await migrate(template);
  await template.close();
  process.stdout.write(`${JSON.stringify({ url: server.url(), template: TEMPLATE })}\n`);
} catch (e) {
  process.stderr.write(`suite server: ${(e as Error).stack}\n`);
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
}
