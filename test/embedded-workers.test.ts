import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { runningPostmaster } from "../src/db/embedded/postmaster-pid.ts";
import { rest } from "./helpers/clients.ts";
import { spawnUsher } from "./helpers/spawn-usher.ts";
import { freePort, TEST_MASTER_KEY } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

// `usher start --workers 2` on the default database (no DATABASE_URL): the primary starts the
// embedded server once, both workers use it, and it stops after them.
test("usher start --workers 2: both workers serve on one server, started once; SIGTERM stops all", async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-embedded-workers-"));
  const data = path.join(dataDir, "pg", "data");
  const env = { USHER_DATA_DIR: dataDir, USHER_MASTER_KEY: TEST_MASTER_KEY, USHER_LOG_LEVEL: "info" };
  try {
    const group = await spawnUsher(await freePort(), env, ["--workers", "2"]);
    try {
      const pm = runningPostmaster(data);
      assert.ok(pm, "one server runs");
      const token = readFileSync(path.join(dataDir, "admin.pat"), "utf8").trim();
      const { userId } = await createUser(group.baseUrl, token);
      const got = await rest(group.baseUrl, "GET", `/v2/users/${userId}`, { token });
      assert.equal(got.status, 200);
      // Both workers have logged their start by the time the group is ready.
      const deadline = Date.now() + 20_000;
      while ((group.output().match(/already running; using it/g) ?? []).length < 2) {
        assert.ok(Date.now() < deadline, "both workers use the running server");
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal((group.output().match(/embedded PostgreSQL started/g) ?? []).length, 1);
      assert.equal(runningPostmaster(data)?.pid, pm.pid, "the same server throughout");
    } finally {
      await group.stop();
    }
    assert.equal(runningPostmaster(data), undefined, "stopped after the workers");
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
