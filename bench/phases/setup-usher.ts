import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDb } from "../../src/db/open.ts";
import type { Databases } from "../lib/pg-admin.ts";
import { seedUsers } from "../lib/seed-users.ts";
import { Targets } from "../lib/targets.ts";
import { adminToken, call, startUsher } from "../lib/usher.ts";
import type { UsherUnderTest } from "./usher-ops.ts";

/** How long Usher took from `spawn` to a 200 from `/readyz`. */
export interface StartupRecord {
  database: "postgres" | "embedded";
  /** cold: empty database (migrations, bootstrap); warm: a restart on the seeded one. */
  kind: string;
  readyMs: number;
}

export interface UsherSetup {
  under: UsherUnderTest;
  databaseUrl: string | undefined;
  dataDir: string;
  startup: StartupRecord[];
  /** Stops Usher and removes its data folder (the database is dropped by `Databases`). */
  close(): Promise<void>;
}

const EXTRA_ORGS = 9;

/**
 * A Usher with 100,000 users: first start on an empty database (timed), nine more
 * organizations and a tenant API key made through the API, then Usher stopped, the users
 * seeded by SQL across the ten organizations, and Usher started again (timed).
 */
export async function setUpUsher(o: {
  database: "postgres" | "embedded";
  databases: Databases;
  name: string;
  seedCount: number;
}): Promise<UsherSetup> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `usher-bench-${o.database}-`));
  const databaseUrl = o.database === "postgres" ? await o.databases.create(o.name) : undefined;
  const startup: StartupRecord[] = [];

  const first = await startUsher({ databaseUrl, dataDir });
  startup.push({ database: o.database, kind: "cold (migrate + bootstrap)", readyMs: first.readyMs });
  const token = adminToken(dataDir);
  const base = first.baseUrl;
  const me = await call<{ org: { id: string } }>(base, "GET", "/management/v1/orgs/me", { token });
  const orgId = me.org.id;
  const orgIds = [orgId];
  for (let i = 0; i < EXTRA_ORGS; i++) {
    const org = await call<{ organizationId: string }>(base, "POST", "/v2/organizations", {
      token,
      body: { name: `Bench Org ${i} ${Date.now()}` },
    });
    orgIds.push(org.organizationId);
  }
  const key = await call<{ raw_key: string }>(base, "POST", "/v1/api-keys", {
    token,
    headers: { "x-tenant-id": orgId },
    body: { name: "bench", roles: ["user_manager"] },
  });
  await first.stop();

  const t0 = performance.now();
  const db = await openDb({ databaseUrl, dataDir, poolSize: 2 });
  const ids = await seedUsers(db, orgIds, o.seedCount);
  await db.close();
  process.stdout.write(
    `  seeded ${o.seedCount} users in ${((performance.now() - t0) / 1000).toFixed(1)} s (${o.database})\n`,
  );

  // Restarts on the seeded database: the median of three (the machine may be busy).
  const restarts: number[] = [];
  let server = await startUsher({ databaseUrl, dataDir });
  for (let i = 0; i < 2; i++) {
    restarts.push(server.readyMs);
    await server.stop();
    server = await startUsher({ databaseUrl, dataDir });
  }
  restarts.push(server.readyMs);
  restarts.sort((a, b) => a - b);
  startup.push({
    database: o.database,
    kind: `warm (${o.seedCount} users), median of 3: ${restarts.map((x) => (x / 1000).toFixed(2)).join(", ")} s`,
    readyMs: restarts[1] as number,
  });
  const seeded = new Targets<string>();
  for (const id of ids) seeded.add(id);
  const under: UsherUnderTest = {
    server,
    token,
    orgId,
    apiKey: key.raw_key,
    seeded,
    seedCount: o.seedCount,
    restart: () => startUsher({ databaseUrl, dataDir }),
    embeddedDataDir: databaseUrl ? undefined : dataDir,
  };
  return {
    under,
    databaseUrl,
    dataDir,
    startup,
    async close() {
      await under.server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
