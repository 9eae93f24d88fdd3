import assert from "node:assert/strict";
import { test } from "node:test";
import pg from "pg";
import { rest } from "./helpers/clients.ts";
import { postForm } from "./helpers/form-client.ts";
import { startTcpProxy } from "./helpers/tcp-proxy.ts";
import { dropDatabase, startTestApp, TEST_DATABASE_URL, unique } from "./helpers/test-app.ts";

/**
 * The database refusing connections: every surface answers 503 with
 * Retry-After — never a 500 — `/healthz` stays 200 and `/readyz` says 503; once the database
 * is back the same process serves again, without a restart. The database sits behind a TCP
 * forwarder the test takes down: open connections are cut and new ones refused.
 */
test("database refusing connections: 503s only, then recovery without a restart", async () => {
  const real = new URL(TEST_DATABASE_URL);
  const name = `${real.pathname.slice(1) || "usher"}_outage_${unique("").slice(-8).replace(/\W/g, "")}`;
  const admin = new pg.Client({ connectionString: real.toString() });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  // The suite's server listens on a Unix socket (libpq's `<dir>/.s.PGSQL.<port>`), the machine's on TCP.
  const host = decodeURIComponent(real.hostname);
  const port = Number(real.port || 5432);
  const proxy = await startTcpProxy(
    host.startsWith("/") ? { path: `${host}/.s.PGSQL.${port}` } : { host, port },
  );
  const viaProxy = new URL(real);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  viaProxy.pathname = `/${name}`;
  const direct = new URL(real);
  direct.pathname = `/${name}`;
  const t = await startTestApp({ databaseUrl: viaProxy.toString(), config: { dbStatementTimeout: 1000 } });
  try {
    const key = await rest(t.baseUrl, "POST", "/v1/api-keys", {
      token: t.adminToken,
      headers: { "x-tenant-id": t.defaultOrgId },
      body: { name: "outage", roles: ["admin"] },
    });
    assert.equal(key.status, 201);
    const user = await rest(t.baseUrl, "POST", "/v2/users/human", {
      token: t.adminToken,
      body: { profile: { givenName: "A", familyName: "B" }, email: { email: `${unique("o")}@example.com` } },
    });
    assert.equal(user.status, 200);
    const userId = user.body.userId as string;
    const tenant = { "x-tenant-id": t.defaultOrgId, "x-api-key": key.body.raw_key as string };
    const calls: Array<[string, () => Promise<{ status: number; retryAfter: string | null }>]> = [
      ["REST get", async () => wrap(await fetchJson(t.baseUrl, "GET", `/v2/users/${userId}`, t.adminToken))],
      ["REST list", async () => wrap(await fetchJson(t.baseUrl, "POST", "/v2/users", t.adminToken, {}))],
      [
        "Connect",
        async () =>
          wrap(
            await fetchJson(t.baseUrl, "POST", "/zitadel.user.v2.UserService/GetUserByID", t.adminToken, {
              userId,
            }),
          ),
      ],
      [
        "tenant get",
        async () =>
          wrap(
            await fetch(`${t.baseUrl}/v1/users/${userId}`, {
              headers: tenant,
              signal: AbortSignal.timeout(20_000),
            }),
          ),
      ],
      [
        "tenant end-user",
        async () =>
          wrap(
            await fetch(`${t.baseUrl}/v1/auth/verify-email`, {
              method: "POST",
              headers: { "x-tenant-id": t.defaultOrgId, "content-type": "application/json" },
              body: JSON.stringify({ user_id: userId, code: "ABCDEF" }),
              signal: AbortSignal.timeout(20_000),
            }),
          ),
      ],
      [
        "page",
        async () => {
          const page = await postForm(`${t.baseUrl}/ui/login/mail/verification`, {
            userID: userId,
            code: "ABCDEF",
            action: "submit",
          });
          return { status: page.status, retryAfter: page.headers.get("retry-after") };
        },
      ],
      [
        "readyz",
        async () => wrap(await fetch(`${t.baseUrl}/readyz`, { signal: AbortSignal.timeout(20_000) })),
      ],
    ];
    for (const [what, call] of calls)
      assert.ok((await call()).status < 500, `${what} answers before the outage`);

    await proxy.down();
    // Every call, twice over; a wrong code answers 400 when the database is up, 503 when down.
    // Twice over (cached credentials and pooled connections die on the way).
    for (let round = 0; round < 2; round++) {
      for (const [what, call] of calls) {
        const r = await call();
        assert.equal(r.status, 503, `${what} during the outage → ${r.status}`);
        assert.ok(Number(r.retryAfter) >= 1, `${what} sends Retry-After`);
      }
    }
    const health = await fetch(`${t.baseUrl}/healthz`);
    assert.equal(health.status, 200, "the process itself is alive");

    await proxy.up();
    const deadline = Date.now() + 20_000;
    for (const [what, call] of calls) {
      for (;;) {
        const r = await call();
        if (r.status < 500) break;
        assert.equal(r.status, 503, `${what} while recovering → ${r.status}`);
        assert.ok(Date.now() < deadline, `${what} did not recover`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  } finally {
    await t.stop();
    await proxy.close();
    await dropDatabase(direct.toString());
  }
});

async function fetchJson(baseUrl: string, method: string, path: string, token: string, body?: unknown) {
  return fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
}

async function wrap(res: Response): Promise<{ status: number; retryAfter: string | null }> {
  await res.arrayBuffer();
  return { status: res.status, retryAfter: res.headers.get("retry-after") };
}
