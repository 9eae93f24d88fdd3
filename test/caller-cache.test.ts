import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { hashToken } from "../src/domain/tokens.ts";
import { UserState } from "../src/domain/user.ts";
import { rest } from "./helpers/clients.ts";
import { fixtures } from "./helpers/fixtures.ts";
import { startTestApp, type TestApp } from "./helpers/test-app.ts";

// Each process keeps token → owner answers (src/authz/caller-cache.ts). These tests warm that
// cache, change what it holds in every way that matters, and expect the very next call to see
// the change.
describe("the token cache never outlives what it caches", () => {
  let t: TestApp;
  let fx: ReturnType<typeof fixtures>;
  let orgId: string;

  before(async () => {
    t = await startTestApp();
    fx = fixtures(t.app.db);
    orgId = await fx.org();
  });
  after(() => t?.stop());

  /** An org owner with a live token whose owner is now cached, reading another user of its org. */
  async function warmOwner(): Promise<{ token: string; userId: string; read: () => Promise<number> }> {
    const { userId } = await fx.user(orgId);
    const other = await fx.user(orgId);
    await fx.grant(orgId, userId, ["ORG_OWNER"]);
    const token = await fx.token(orgId, userId);
    const read = async () => (await rest(t.baseUrl, "GET", `/v2/users/${other.userId}`, { token })).status;
    assert.equal(await read(), 200);
    assert.equal(await read(), 200);
    return { token, userId, read };
  }

  test("a revoked token is refused on the next call", async () => {
    const { token, read } = await warmOwner();
    await t.app.db.query("update tokens set revoked_at = now() where token_hash = $1", [hashToken(token)]);
    assert.equal(await read(), 401);
  });

  test("a removed token is refused on the next call", async () => {
    const { token, read } = await warmOwner();
    await t.app.db.query("delete from tokens where token_hash = $1", [hashToken(token)]);
    assert.equal(await read(), 401);
  });

  test("a removed membership denies the next call", async () => {
    const { userId, read } = await warmOwner();
    await t.app.db.query("delete from members where org_id = $1 and user_id = $2", [orgId, userId]);
    // Without a role the other user is not found for the caller (ZITADEL's answer).
    assert.equal(await read(), 404);
  });

  test("a deactivated caller is refused on the next call, and accepted again once reactivated", async () => {
    const { userId, read } = await warmOwner();
    const setState = (state: number) =>
      t.app.db.query("update users set state = $3 where org_id = $1 and id = $2", [orgId, userId, state]);
    await setState(UserState.Inactive);
    assert.equal(await read(), 401);
    await setState(UserState.Active);
    assert.equal(await read(), 200);
  });

  test("a change made through the API takes effect on the next call", async () => {
    const { userId, read } = await warmOwner();
    const removed = await rest(t.baseUrl, "DELETE", `/v2/users/${userId}`, { token: t.adminToken });
    assert.equal(removed.status, 200);
    assert.equal(await read(), 401);
  });

  test("a token past its expiry is refused although its owner is cached", async () => {
    const { token, read } = await warmOwner();
    await t.app.db.query("update tokens set expires_at = now() + interval '1 hour' where token_hash = $1", [
      hashToken(token),
    ]);
    assert.equal(await read(), 200);
    t.advance(2 * 3_600_000);
    try {
      assert.equal(await read(), 401);
    } finally {
      t.advance(-2 * 3_600_000);
    }
  });

  test("last use is still recorded once a minute", async () => {
    const { token, read } = await warmOwner();
    const lastUsed = async () =>
      (
        await t.app.db.query<{ last_used_at: Date }>(
          "select last_used_at from tokens where token_hash = $1",
          [hashToken(token)],
        )
      )[0]?.last_used_at.getTime() ?? 0;
    const first = await lastUsed();
    t.advance(2 * 60_000);
    try {
      assert.equal(await read(), 200);
      assert.ok((await lastUsed()) >= first + 2 * 60_000, "last_used_at moved with the clock");
    } finally {
      t.advance(-2 * 60_000);
    }
  });

  /** Runs `fn` with a connection of its own: another process, as far as the app can tell. */
  async function asOtherProcess<T>(fn: (other: pg.Client) => Promise<T>): Promise<T> {
    const other = new pg.Client({ connectionString: t.databaseUrl });
    await other.connect();
    try {
      return await fn(other);
    } finally {
      await other.end();
    }
  }

  /** NOTIFY reaches the listening connection a moment after the commit: poll briefly. */
  async function refusedSoon(read: () => Promise<number>): Promise<void> {
    const deadline = Date.now() + 2_000;
    let status = await read();
    while (status !== 401 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
      status = await read();
    }
    assert.equal(status, 401);
  }

  const revoke = (other: pg.Client, token: string) =>
    other.query("update tokens set revoked_at = now() where token_hash = $1", [hashToken(token)]);

  test("a revocation by another process reaches this one", async () => {
    const { token, read } = await warmOwner();
    await asOtherProcess((other) => revoke(other, token));
    await refusedSoon(read);
  });

  test("after its listening connection breaks, a process hears other processes again", async () => {
    const { token, read } = await warmOwner();
    await asOtherProcess(async (other) => {
      const listeners = async () =>
        (
          await other.query<{ pid: number }>(
            "select pid from pg_stat_activity where datname = current_database() and query ilike 'listen %'",
          )
        ).rows.map((r) => r.pid);
      const [before] = await listeners();
      assert.ok(before, "a listening connection");
      await other.query("select pg_terminate_backend($1)", [before]);
      const deadline = Date.now() + 5_000;
      let now = await listeners();
      while (!(now.length > 0 && !now.includes(before)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        now = await listeners();
      }
      assert.ok(now.length > 0 && !now.includes(before), "the process listens again on a new connection");
      assert.equal(await read(), 200);
      await revoke(other, token);
    });
    await refusedSoon(read);
  });
});
