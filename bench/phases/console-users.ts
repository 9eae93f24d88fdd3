import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config/load.ts";
import type { Databases } from "../lib/pg-admin.ts";
import { seedUsers } from "../lib/seed-users.ts";

/** One measured request of the console's users page. */
export interface ConsolePageStep {
  page: string;
  medianMs: number;
  p95Ms: number;
  samples: number;
}

/**
 * The console's users page over `count` users of one organization on PostgreSQL: the tenant API
 * calls the page makes (`GET /v1/users`, 25 a page: the first, one 50,000 users deep by keyset
 * cursor, each state filter, an email filter, a search), timed from request to last byte on loopback — the
 * server's time plus a loopback round trip.
 */
export async function runConsoleUsers(
  databases: Databases,
  name: string,
  count: number,
  samples = 30,
): Promise<ConsolePageStep[]> {
  const databaseUrl = await databases.create(name);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-bench-console-"));
  const config = loadConfig({
    env: {},
    overrides: {
      port: 0,
      host: "127.0.0.1",
      dataDir,
      databaseUrl,
      logLevel: "silent",
      dbPoolSize: 4,
      dbStatementTimeout: 120_000,
    },
  });
  const app = await createApp({ config, announce: () => {} });
  try {
    const { port, bootstrap } = await app.start();
    const orgId = bootstrap.defaultOrgId;
    const ids = await seedUsers(app.db, [orgId], count);
    // A realistic mix: most people have accepted (active), one in ten is still invited, a few
    // are locked or deactivated.
    await app.db.query(
      `update users set email_verified = (('x' || substr(md5(id), 1, 8))::bit(32)::int & 1023) >= 102,
         state = case (('x' || substr(md5(id), 9, 8))::bit(32)::int & 1023) when 0 then 4 when 1 then 2 else state end
        where org_id = $1 and type = 'human' and username like 'seed-%'`,
      [orgId],
    );
    await app.db.query("analyze users");
    const token = readFileSync(config.firstInstancePatPath, "utf8").trim();
    const base = `http://127.0.0.1:${port}/v1/users`;
    const headers = { authorization: `Bearer ${token}`, "x-tenant-id": orgId };
    const get = async (query: string) => {
      const res = await fetch(`${base}?${query}`, { headers });
      if (res.status !== 200) throw new Error(`GET /v1/users?${query}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { next_cursor: string | null };
    };
    // A cursor half-way down: walk there once with the largest pages.
    let deep = "";
    for (let seen = 0; seen < Math.min(50_000, Math.floor(count / 2)); seen += 250) {
      const page = await get(`limit=250${deep ? `&cursor=${encodeURIComponent(deep)}` : ""}`);
      deep = page.next_cursor ?? deep;
    }
    const middle = ids[Math.floor(ids.length / 2)] ?? "";
    const email = (
      await app.db.query<{ email: string }>("select email from users where id = $1", [middle])
    )[0]?.email;
    const pages: Array<[string, string]> = [
      ["first page", "limit=25"],
      ["50,000 deep (keyset)", `limit=25&cursor=${encodeURIComponent(deep)}`],
      ["state filter: invited", "limit=25&status=invited"],
      ["state filter: active", "limit=25&status=active"],
      ["state filter: locked", "limit=25&status=locked"],
      ["email filter (exact)", `limit=25&email=${encodeURIComponent(email ?? "")}`],
      ["search, a rare start", `limit=25&q=${encodeURIComponent("seed user 4242")}`],
      ["search, a start every user has", "limit=25&q=seed"],
    ];
    const steps: ConsolePageStep[] = [];
    for (const [page, query] of pages) {
      await get(query);
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
        const t0 = performance.now();
        await get(query);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const at = (q: number) =>
        Number((times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(2));
      steps.push({ page, medianMs: at(0.5), p95Ms: at(0.95), samples });
    }
    return steps;
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
