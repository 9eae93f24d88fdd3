import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate } from "../../src/db/migrate.ts";
import { openDb } from "../../src/db/open.ts";
import type { Db } from "../../src/db/types.ts";
import { dropDatabase, TEST_DATABASE_URL, TEST_MASTER_KEY } from "./test-app.ts";

/** A database for separate Usher processes: a fresh PostgreSQL database, or a PGlite folder. */
export async function sharedDatabase() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-proc-"));
  let databaseUrl: string | undefined;
  if (TEST_DATABASE_URL) {
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${url.pathname.slice(1)}_proc_${Date.now()}_${process.pid}`;
    const admin = await openDb({ databaseUrl: TEST_DATABASE_URL, dataDir, poolSize: 1 });
    await admin.query(`create database "${url.pathname.slice(1)}"`);
    await admin.close();
    databaseUrl = url.toString();
  }
  // On PGlite, start from the migrated template the test runner prepared (initdb is slow).
  const template = process.env.USHER_TEST_PGLITE_TEMPLATE;
  if (!databaseUrl && template) cpSync(template, path.join(dataDir, "pgdata"), { recursive: true });
  const open = async (): Promise<Db> => {
    const db = await openDb({ databaseUrl, dataDir, poolSize: 2 });
    await migrate(db);
    return db;
  };
  const env: Record<string, string> = { USHER_DATA_DIR: dataDir, USHER_MASTER_KEY: TEST_MASTER_KEY };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  return {
    env,
    open,
    async drop() {
      if (databaseUrl) await dropDatabase(databaseUrl);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
