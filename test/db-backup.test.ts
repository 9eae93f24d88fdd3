import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import pg from "pg";
import { listTables } from "../src/db/transfer/tables.ts";
import type { Queryable } from "../src/db/types.ts";
import { rest } from "./helpers/clients.ts";
import { spawnUsher } from "./helpers/spawn-usher.ts";
import { freePort, startTestApp, TEST_MASTER_KEY } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";
import { outboxSettled } from "./helpers/wait.ts";

function usher(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, ["bin/usher.js", ...args], {
    env: { PATH: process.env.PATH ?? "", USHER_LOG_LEVEL: "warn", USHER_MASTER_KEY: TEST_MASTER_KEY, ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

async function snapshot(client: pg.Client): Promise<Record<string, string[]>> {
  const q: Queryable = {
    query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
    exec: async (sql) => {
      await client.query(sql);
    },
  };
  const out: Record<string, string[]> = {};
  for (const t of await listTables(q))
    out[t.name] = (
      await q.query<{ j: string }>(`select to_jsonb(t)::text as j from "${t.name}" t order by 1`)
    ).map((r) => r.j);
  return out;
}

test("usher db backup, then restore into a new embedded data folder: every row back, and Usher serves it", async () => {
  const source = await startTestApp();
  const work = mkdtempSync(path.join(os.tmpdir(), "usher-backup-"));
  const file = path.join(work, "usher.sql");
  const dataDir = path.join(work, "restored");
  try {
    const { userId } = await createUser(source.baseUrl, source.adminToken);
    assert.equal(
      (
        await rest(source.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
          token: source.adminToken,
          body: {},
        })
      ).status,
      200,
    );
    // Values that need COPY's escapes: tab, newline, carriage return, backslash, and non-ASCII.
    await source.app.db.query(
      "insert into message_texts (org_id, message_type, language, subject, body) values ($1, 'InviteUser', 'de', $2, $3)",
      [source.defaultOrgId, "Tab\there\\N", "Zeile 1\nZeile 2\r\n\\ Grüße 👋"],
    );
    // The invite's delivery is recorded (with its event) before the snapshot, not during the backup.
    await outboxSettled(source.app.db);
    const client = new pg.Client({ connectionString: source.databaseUrl });
    await client.connect();
    const expected = await snapshot(client);
    await client.end();

    // Backup of the running app's database (DATABASE_URL), a file only its owner reads.
    const backup = usher(["db", "backup", file], { DATABASE_URL: source.databaseUrl, USHER_DATA_DIR: work });
    assert.equal(backup.status, 0, backup.out);
    assert.match(backup.out, /wrote .*usher\.sql: \d+ rows in \d+ tables/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, "utf8"), /^-- usher-backup 1\n-- schema-version: \d+\n/);

    // Restore into a new data folder: the embedded server is initialised for it.
    const restore = usher(["db", "restore", file], { USHER_DATA_DIR: dataDir });
    assert.equal(restore.status, 0, restore.out);
    // A second restore refuses: the database holds data now.
    const again = usher(["db", "restore", file], { USHER_DATA_DIR: dataDir });
    assert.equal(again.status, 1);
    assert.match(again.out, /already holds Usher data/);

    // psql is not on the way here (no terminal): the connection string, without the password.
    const psql = usher(["db", "psql"], { USHER_DATA_DIR: dataDir });
    assert.equal(psql.status, 0, psql.out);
    const password = readFileSync(path.join(dataDir, "pg", "pgpass"), "utf8")
      .trim()
      .split(":")[4] as string;
    assert.ok(!psql.out.includes(password), "the password is not printed");
    assert.match(psql.out, /^postgresql:\/\/usher@.+\/usher\?passfile=/m);

    const served = await spawnUsher(await freePort(), {
      USHER_DATA_DIR: dataDir,
      USHER_MASTER_KEY: TEST_MASTER_KEY,
    });
    try {
      const got = await rest(served.baseUrl, "GET", `/v2/users/${userId}`, { token: source.adminToken });
      assert.equal(got.status, 200);
      const restored = new pg.Client({
        host: path.join(dataDir, "pg"),
        user: "usher",
        password,
        database: "usher",
      });
      await restored.connect();
      try {
        const got = await snapshot(restored);
        for (const table of Object.keys(expected))
          assert.deepEqual(got[table], expected[table], `every row of ${table}, unchanged`);
      } finally {
        await restored.end();
      }
    } finally {
      await served.stop();
    }
  } finally {
    await source.stop();
    rmSync(work, { recursive: true, force: true });
  }
});
