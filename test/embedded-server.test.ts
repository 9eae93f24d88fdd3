import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { runningPostmaster } from "../src/db/embedded/postmaster-pid.ts";
import { rest } from "./helpers/clients.ts";
import { spawnUsher, type UsherProcess } from "./helpers/spawn-usher.ts";
import { freePort, TEST_MASTER_KEY } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

// Usher on its default database, as an operator runs it: `usher start` with a data folder and no
// DATABASE_URL, so it starts (and first initialises) the PostgreSQL server in <data dir>/pg.
// The tests share one data folder and run in order: each starts where the previous one left it.
describe("the embedded PostgreSQL server", () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-embedded-"));
  const data = path.join(dataDir, "pg", "data");
  const env = { USHER_DATA_DIR: dataDir, USHER_MASTER_KEY: TEST_MASTER_KEY, USHER_LOG_LEVEL: "info" };
  const token = () => readFileSync(path.join(dataDir, "admin.pat"), "utf8").trim();
  /** The postgres processes running on this cluster (the postmaster and its children). */
  const servers = () => {
    const pm = runningPostmaster(data);
    return pm ? [pm.pid] : [];
  };
  let userId = "";
  let usher: UsherProcess | undefined;

  after(async () => {
    await usher?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("the first start initialises it, on a Unix socket in the data folder and no TCP port", async () => {
    usher = await spawnUsher(await freePort(), env);
    const pm = runningPostmaster(data);
    assert.ok(pm, "a server runs on <data dir>/pg/data");
    assert.equal(pm.socketDir, path.join(dataDir, "pg"));
    assert.equal(pm.listenAddress, "", "no TCP address");
    assert.equal(statSync(path.join(dataDir, "pg", "pgpass")).mode & 0o777, 0o600);
    assert.equal(statSync(path.join(dataDir, "pg")).mode & 0o777, 0o700);
    const password =
      readFileSync(path.join(dataDir, "pg", "pgpass"), "utf8")
        .trim()
        .split(":")[4] ?? "";
    assert.ok(password.length >= 24);
    assert.ok(!usher.output().includes(password), "the superuser's password is never logged");
    assert.match(usher.output(), /initialised the embedded PostgreSQL cluster/);
    ({ userId } = await createUser(usher.baseUrl, token()));
  });

  test("after a SIGKILL of Usher the next start runs, nothing is lost, and one server runs", async () => {
    const before = runningPostmaster(data);
    assert.ok(before);
    await usher?.kill();
    usher = await spawnUsher(await freePort(), env);
    assert.equal(servers().length, 1);
    const got = await rest(usher.baseUrl, "GET", `/v2/users/${userId}`, { token: token() });
    assert.equal(got.status, 200);
    assert.doesNotMatch(usher.output(), /initialised/);
  });

  test("a server killed while Usher serves: /readyz fails, then passes again within 10 s; calls meanwhile get 503, never 500", async () => {
    const u = usher as UsherProcess;
    const killed = runningPostmaster(data)?.pid as number;
    process.kill(killed, "SIGKILL");
    const statuses = new Set<number>();
    let sawDown = false;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ready = (await fetch(`${u.baseUrl}/readyz`)).status;
      if (ready === 503) sawDown = true;
      const call = await rest(u.baseUrl, "GET", `/v2/users/${userId}`, { token: token() });
      statuses.add(call.status);
      if (sawDown && ready === 200 && call.status === 200) break;
      assert.ok(Date.now() < deadline, `not back within 10 s (saw ${[...statuses]})`);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(sawDown, "/readyz failed while the server was down");
    assert.deepEqual(
      [...statuses].filter((s) => s !== 200 && s !== 503),
      [],
      "only 200 and 503 while it was down",
    );
    const pm = runningPostmaster(data);
    assert.ok(pm && pm.pid !== killed, "a new server runs");
  });

  test("a SIGTERM stops Usher and then its server", async () => {
    await usher?.stop();
    usher = undefined;
    assert.deepEqual(servers(), []);
  });
});
