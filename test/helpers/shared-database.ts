import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate } from "../../src/db/migrate.ts";
import { openDb } from "../../src/db/open.ts";
import type { Db } from "../../src/db/types.ts";
import { dropDatabase, TEST_DATABASE_URL, TEST_MASTER_KEY } from "./test-app.ts";

/** A fresh database on the test server for separate Usher processes, and a data folder for them. */
export async function sharedDatabase() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "usher-proc-"));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${url.pathname.slice(1)}_proc_${Date.now()}_${process.pid}`;
  const admin = await openDb({ databaseUrl: TEST_DATABASE_URL, dataDir, poolSize: 1 });
  await admin.query(`create database "${url.pathname.slice(1)}"`);
  await admin.close();
  const databaseUrl = url.toString();
  const open = async (): Promise<Db> => {
    const db = await openDb({ databaseUrl, dataDir, poolSize: 2 });
    await migrate(db);
    return db;
  };
  const env: Record<string, string> = {
    USHER_DATA_DIR: dataDir,
    USHER_MASTER_KEY: TEST_MASTER_KEY,
    DATABASE_URL: databaseUrl,
  };
  return {
    env,
    open,
    async drop() {
      await dropDatabase(databaseUrl);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
