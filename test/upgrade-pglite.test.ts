import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { insertRows, readRows } from "../src/db/transfer/copy-rows.ts";
import { listTables } from "../src/db/transfer/tables.ts";
import type { Queryable } from "../src/db/types.ts";
import { rest } from "./helpers/clients.ts";
import { spawnUsher } from "./helpers/spawn-usher.ts";
import { freePort, startTestApp, TEST_MASTER_KEY } from "./helpers/test-app.ts";
import { createUser } from "./helpers/users.ts";

/**
 * The migrations of the release before the embedded server (main at 99e54f8, PGlite in
 * `<data dir>/pgdata`), by their SHA-256: the fixture below is that release's schema only while
 * these files are unchanged.
 */
const PREVIOUS_RELEASE_MIGRATIONS: Array<[string, string]> = [
  ["0001_init.sql", "fb60977a580def88574ed922478c7db7eac9f92a72cfe669e40c9fe888a113f5"],
  ["0002_orgs_members_tokens.sql", "0d1f3fa42fbc47b18e3d614a0d28128d284a420c1c6c7a1c873e5dc4ca224928"],
  ["0003_user_lifecycle.sql", "9188f8cfe1ed6402fe1a919719ca5ed4cd254ce8b341cc1b83c4eec9189a0979"],
  ["0004_throttle_idempotency.sql", "2f418651f97fce963830ae66a027e8e923dbb86943655cf3691ab928360b15b6"],
  ["0005_delivery.sql", "b2a597946e8266f7b3abb4bcd4da6240838cddfa62f374a7fe61fe23c50744f7"],
  ["0006_api_keys.sql", "b51457dc5fb6ff01c3f5d273cd76c0719949df1e14395bb59d381954d5aba37d"],
  ["0007_auth_changes.sql", "204281381de173a583d92db522073b3ebe4fc6ec6556bdbad0edd0308fd781e0"],
  [
    "0008_codes_bound_usernames_scoped.sql",
    "4c0fb86f20968d800373fd7549b37cbb740897b3a08cc171f025de42d5520a3e",
  ],
  ["0009_secrets_sealed_at_rest.sql", "ae35c0e91faa3101cde7b50f1d3f1eb88432ca61c08d30426c63fa4458a5d2ce"],
  ["0010_delivery_circuit.sql", "72176ca157c3cff51a48e18539437fdc5540b441ef1180cd901fb155bf4d182a"],
];
const MIGRATIONS = fileURLToPath(new URL("../src/db/migrations/", import.meta.url));

/** The tables of a database and their columns: the previous release's schema, read from its folder. */
type Shape = Record<string, string[]>;

async function shapeOf(q: Queryable): Promise<Shape> {
  const out: Shape = {};
  for (const t of await listTables(q)) {
    const cols = await q.query<{ c: string }>(
      "select column_name as c from information_schema.columns where table_schema = current_schema() and table_name = $1 order by ordinal_position",
      [t.name],
    );
    out[t.name] = cols.map((r) => r.c);
  }
  return out;
}

/**
 * Every row of every table as sorted JSON text: what must arrive unchanged. With a shape, only
 * its tables and columns (what a later release adds is not the previous release's data).
 */
async function snapshot(q: Queryable, shape?: Shape): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const tables = shape ? Object.keys(shape) : (await listTables(q)).map((t) => t.name);
  for (const name of tables) {
    const cols = shape?.[name]?.map((c) => `"${c}"`).join(", ") ?? "*";
    const rows = await q.query<{ j: string }>(
      `select to_jsonb(t)::text as j from (select ${cols} from "${name}") t order by 1`,
    );
    out[name] = rows.map((r) => r.j);
  }
  return out;
}

function pgliteQueryable(lite: PGlite): Queryable {
  return {
    query: async (sql, params) => (await lite.query(sql, params as unknown[] | undefined)).rows as never[],
    exec: async (sql) => {
      await lite.exec(sql);
    },
  };
}

test("a data folder of the PGlite release is moved into the embedded server: every row of every table, the old folder kept", async () => {
  // 1. Real data, made through the API: users, invites and a resend, delivered mail (dev mailbox),
  //    an organization, an API key, an idempotent call, throttle counters, a text override.
  const source = await startTestApp();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-upgrade-"));
  let usher: Awaited<ReturnType<typeof spawnUsher>> | undefined;
  try {
    const token = source.adminToken;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { userId } = await createUser(source.baseUrl, token);
      ids.push(userId);
      const invited = await rest(source.baseUrl, "POST", `/v2/users/${userId}/invite_code`, {
        token,
        body: { sendCode: { applicationName: "Upgrade" } },
        headers: { "idempotency-key": `upgrade-${i}` },
      });
      assert.equal(invited.status, 200);
    }
    assert.equal(
      (await rest(source.baseUrl, "POST", `/v2/users/${ids[0]}/invite_code/resend`, { token, body: {} }))
        .status,
      200,
    );
    assert.equal(
      (await rest(source.baseUrl, "POST", "/v2/organizations", { token, body: { name: "Upgrade Org" } }))
        .status,
      200,
    );
    const key = await rest(source.baseUrl, "POST", "/v1/api-keys", {
      token,
      headers: { "x-tenant-id": source.defaultOrgId },
      body: { name: "upgrade", roles: ["user_manager"] },
    });
    assert.equal(key.status, 201, JSON.stringify(key.body));
    await source.app.db.query(
      "insert into message_texts (org_id, message_type, language, subject) values ($1, 'InviteUser', 'de', 'Willkommen')",
      [source.defaultOrgId],
    );
    for (let i = 0; i < 200; i++) {
      const left = await source.app.db.query("select 1 from outbox where status in ('queued', 'sending')");
      if (left.length === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await source.app.stop();
    const sourceDb = new pg.Client({ connectionString: source.databaseUrl });
    await sourceDb.connect();
    const sourceQ: Queryable = {
      query: async (sql, params) => (await sourceDb.query(sql, params as unknown[])).rows,
      exec: async (sql) => {
        await sourceDb.query(sql);
      },
    };
    const fixture = await snapshot(sourceQ);
    for (const table of [
      "users",
      "user_codes",
      "events",
      "outbox",
      "mailbox",
      "tokens",
      "api_keys",
      "members",
    ])
      assert.ok((fixture[table]?.length ?? 0) > 0, `the fixture has ${table}`);

    // 2. The previous release's data folder: PGlite, its migrations, those rows.
    const files = readdirSync(MIGRATIONS).filter((f) => f.endsWith(".sql"));
    for (const [file, sha] of PREVIOUS_RELEASE_MIGRATIONS) {
      const text = readFileSync(path.join(MIGRATIONS, file), "utf8");
      assert.equal(
        createHash("sha256").update(text).digest("hex"),
        sha,
        `${file} as the previous release had it`,
      );
    }
    assert.ok(files.length >= PREVIOUS_RELEASE_MIGRATIONS.length);
    const lite = await PGlite.create(path.join(dataDir, "pgdata"));
    const liteQ = pgliteQueryable(lite);
    await lite.exec(
      "create table schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())",
    );
    for (const [file] of PREVIOUS_RELEASE_MIGRATIONS) {
      await lite.exec(readFileSync(path.join(MIGRATIONS, file), "utf8"));
      await lite.query("insert into schema_migrations (version, name) values ($1, $2)", [
        Number(file.slice(0, 4)),
        file.slice(5, -4),
      ]);
    }
    const fill = new pg.Client({ connectionString: source.databaseUrl });
    await fill.connect();
    const fillQ: Queryable = {
      query: async (sql, params) => (await fill.query(sql, params as unknown[])).rows,
      exec: async (sql) => {
        await fill.query(sql);
      },
    };
    await fill.query("begin");
    for (const table of await listTables(liteQ))
      for await (const rows of readRows(fillQ, table)) await insertRows(liteQ, table, rows);
    await fill.query("commit");
    await fill.end();
    const shape = await shapeOf(liteQ);
    const expected = await snapshot(sourceQ, shape);
    await sourceDb.end();
    assert.deepEqual(await snapshot(liteQ, shape), expected, "the PGlite folder holds the fixture");
    await lite.close();

    // 3. This release starts on that folder.
    usher = await spawnUsher(await freePort(), {
      USHER_DATA_DIR: dataDir,
      USHER_MASTER_KEY: TEST_MASTER_KEY,
      USHER_LOG_LEVEL: "info",
    });
    assert.match(
      usher.output(),
      /moved the PGlite database of an earlier Usher into the embedded PostgreSQL/,
    );
    assert.ok(existsSync(path.join(dataDir, "pgdata.pglite-backup", "PG_VERSION")), "the old folder is kept");
    assert.ok(!existsSync(path.join(dataDir, "pgdata")));
    const password = readFileSync(path.join(dataDir, "pg", "pgpass"), "utf8")
      .trim()
      .split(":")[4];
    const moved = new pg.Client({
      host: path.join(dataDir, "pg"),
      user: "usher",
      password,
      database: "usher",
    });
    await moved.connect();
    try {
      const got = await snapshot(
        {
          query: async (sql, params) => (await moved.query(sql, params as unknown[])).rows,
          exec: async (sql) => {
            await moved.query(sql);
          },
        },
        shape,
      );
      assert.deepEqual(Object.keys(got).sort(), Object.keys(expected).sort());
      for (const table of Object.keys(expected))
        assert.deepEqual(got[table], expected[table], `every row of ${table}, unchanged`);
    } finally {
      await moved.end();
    }
    // The old admin token still works, and the users are there.
    const user = await rest(usher.baseUrl, "GET", `/v2/users/${ids[1]}`, { token });
    assert.equal(user.status, 200);

    // 4. A second start does not copy again.
    await usher.stop();
    usher = await spawnUsher(await freePort(), {
      USHER_DATA_DIR: dataDir,
      USHER_MASTER_KEY: TEST_MASTER_KEY,
      USHER_LOG_LEVEL: "info",
    });
    assert.doesNotMatch(usher.output(), /PGlite/);
  } finally {
    await usher?.stop();
    await source.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
