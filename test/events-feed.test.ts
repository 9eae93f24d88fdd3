import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import pg from "pg";
import { rest } from "./helpers/clients.ts";
import { sharedDatabase } from "./helpers/shared-database.ts";
import { spawnUsher, type UsherProcess } from "./helpers/spawn-usher.ts";
import { freePort, startTestApp } from "./helpers/test-app.ts";

type Feed = { data: { user_id: string; sequence: number; type: string }[]; next_cursor: string };

async function feed(baseUrl: string, token: string, tenant: string, query: string) {
  const res = await rest(baseUrl, "GET", `/v1/events?${query}`, {
    token,
    headers: { "x-tenant-id": tenant },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as unknown as Feed;
}

describe("GET /v1/events", () => {
  test("a transaction that commits after a later one is not skipped by a cursor", async () => {
    const t = await startTestApp();
    const a = new pg.Client({ connectionString: t.databaseUrl });
    const b = new pg.Client({ connectionString: t.databaseUrl });
    await a.connect();
    await b.connect();
    try {
      const insert = (c: pg.Client, id: string) =>
        c.query(
          `insert into events (org_id, aggregate_type, aggregate_id, sequence, type, payload, actor)
           values ($1, 'user', $2, 1, 'user.locked', '{}', 'test')`,
          [t.defaultOrgId, id],
        );
      const start = await feed(t.baseUrl, t.adminToken, t.defaultOrgId, "types=user.locked");
      assert.equal(start.data.length, 0);
      await a.query("begin");
      await insert(a, "early");
      await b.query("begin");
      await insert(b, "late");
      await b.query("commit");
      const whileOpen = await feed(
        t.baseUrl,
        t.adminToken,
        t.defaultOrgId,
        `types=user.locked&after=${start.next_cursor}`,
      );
      assert.deepEqual(whileOpen.data, [], "nothing past a transaction still running");
      await a.query("commit");
      // A transaction of another database on the same server holds the feed back too: follow
      // the cursor (long-polling) until both have come.
      const both = { data: [] as Feed["data"], next_cursor: whileOpen.next_cursor };
      for (let i = 0; i < 10 && both.data.length < 2; i++) {
        const page = await feed(
          t.baseUrl,
          t.adminToken,
          t.defaultOrgId,
          `types=user.locked&wait=5s&after=${both.next_cursor}`,
        );
        both.data.push(...page.data);
        both.next_cursor = page.next_cursor;
      }
      assert.deepEqual(
        both.data.map((e) => e.user_id),
        ["early", "late"],
      );
      const waited = Date.now();
      const empty = await feed(
        t.baseUrl,
        t.adminToken,
        t.defaultOrgId,
        `types=user.locked&wait=1s&after=${both.next_cursor}`,
      );
      assert.equal(empty.data.length, 0);
      assert.ok(Date.now() - waited >= 900, "wait long-polls");
      const bad = await rest(t.baseUrl, "GET", "/v1/events?after=nonsense", {
        token: t.adminToken,
        headers: { "x-tenant-id": t.defaultOrgId },
      });
      assert.equal(bad.status, 400);
    } finally {
      await a.end();
      await b.end();
      await t.stop();
    }
  });

  test("10,000 events written by two processes: a reader following the cursor sees each exactly once", async () => {
    const db = await sharedDatabase();
    const env: Record<string, string> = { ...db.env, USHER_DB_POOL_SIZE: "8", USHER_LOG_LEVEL: "error" };
    const spawned: UsherProcess[] = [];
    try {
      const first = await spawnUsher(await freePort(), env);
      spawned.push(first);
      const second = await spawnUsher(await freePort(), env);
      spawned.push(second);
      const token = readFileSync(path.join(env.USHER_DATA_DIR as string, "admin.pat"), "utf8").trim();
      const who = await rest(first.baseUrl, "GET", "/v1/users?limit=1", { token, headers: {} });
      const probe = await db.open();
      const tenant = (await probe.query<{ default_org_id: string }>("select default_org_id from instance"))[0]
        ?.default_org_id as string;
      assert.ok(tenant, JSON.stringify(who.body));
      const PER_PROCESS = 5_000;
      const write = async (baseUrl: string, label: string) => {
        let next = 0;
        const worker = async () => {
          for (let i = next++; i < PER_PROCESS; i = next++) {
            const res = await rest(baseUrl, "POST", "/v1/users", {
              token,
              headers: { "x-tenant-id": tenant },
              body: { email: `${label}-${i}@feed.example.com`, send_invite: false },
            });
            assert.equal(res.status, 201, JSON.stringify(res.body));
          }
        };
        await Promise.all(Array.from({ length: 12 }, worker));
      };
      const seen: string[] = [];
      let cursor = "";
      let writing = true;
      const reader = (async () => {
        for (;;) {
          const page = await feed(
            first.baseUrl,
            token,
            tenant,
            `types=user.human.added&limit=1000&after=${cursor}${writing ? "" : "&wait=1s"}`,
          );
          for (const e of page.data) seen.push(`${e.user_id}/${e.sequence}`);
          cursor = page.next_cursor;
          if (!writing && page.data.length === 0) return;
        }
      })();
      await Promise.all([write(first.baseUrl, "a"), write(second.baseUrl, "b")]);
      writing = false;
      await reader;
      const stored = await probe.query<{ k: string }>(
        "select aggregate_id || '/' || sequence as k from events where type = 'user.human.added' and org_id = $1",
        [tenant],
      );
      // The first start adds the first human admin: its event is in the feed too.
      const setup = await probe.query(
        "select 1 from events where type = 'user.human.added' and org_id = $1 and actor = 'usher-setup'",
        [tenant],
      );
      await probe.close();
      assert.equal(stored.length, 2 * PER_PROCESS + setup.length);
      assert.equal(new Set(seen).size, seen.length, "no event twice");
      assert.deepEqual([...seen].sort(), stored.map((r) => r.k).sort(), "every event");
    } finally {
      await Promise.all(spawned.map((u) => u.stop()));
      await db.drop();
    }
  });
});
