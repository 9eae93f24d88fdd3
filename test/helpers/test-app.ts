import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { Logger } from "pino";
import { type App, createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config/load.ts";
import type { RawConfig } from "../../src/config/schema.ts";
import { uuidv7 } from "../../src/domain/ids.ts";
import { hashToken, newToken } from "../../src/domain/tokens.ts";
import type { Sender } from "../../src/outbox/sender.ts";
import { tokenQueries } from "../../src/queries/tokens.ts";

/**
 * The PostgreSQL server the suite runs on: the embedded one `test/run.js` starts, or the one
 * `USHER_TEST_DATABASE_URL` names. Each test app makes a database of its own on it.
 */
export const TEST_DATABASE_URL = testDatabaseUrl();

function testDatabaseUrl(): string {
  const url = process.env.USHER_TEST_DATABASE_URL;
  if (!url)
    throw new Error("USHER_TEST_DATABASE_URL is not set: run the tests with `npm test` (node test/run.js)");
  return url;
}

/** A fixed key, so test runs are reproducible; production keys come from the environment or a file. */
export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString("base64");

export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * A database of its own for one test app on the test PostgreSQL server, so the delivery workers
 * of apps in parallel test files never claim each other's messages. Dropped by `stop()`.
 */
async function freshDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(baseUrl);
  const name = `${base.pathname.slice(1) || "usher"}_${uuidv7().replaceAll("-", "").slice(-16)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  // A copy of the migrated template database test/run.js made, when there is one (faster than
  // migrating every database).
  const template = process.env.USHER_TEST_TEMPLATE_DATABASE;
  await admin(`create database "${name}"${template ? ` template "${template}"` : ""}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists "${name}" with (force)`) };
}

export interface TestApp {
  app: App;
  /** The PostgreSQL database of this app (pass it again to restart on the same data). */
  databaseUrl: string;
  baseUrl: string;
  dataDir: string;
  /** A token of the instance admin (IAM_OWNER). */
  adminToken: string;
  defaultOrgId: string;
  /** Moves the app's clock forward. */
  advance(ms: number): void;
  stop(): Promise<void>;
}

export interface TestAppOptions {
  config?: Partial<RawConfig>;
  sender?: Sender;
  /** Reuse a data folder (restart tests). */
  dataDir?: string;
  /** Reuse a PostgreSQL database made by an earlier test app (restart tests). */
  databaseUrl?: string;
  /** A logger of the test's own (e.g. one that keeps every line to search it). */
  log?: Logger;
  /** Receives what the first start shows on standard output (the first admin's link); default: dropped. */
  announce?: (text: string) => void;
}

/**
 * Starts a whole Usher on a free loopback port, on a database of its own on the test server
 * (copied from the migrated template database `test/run.js` prepares, when there is one).
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), "usher-test-"));
  const owned = options.databaseUrl ? undefined : await freshDatabase(TEST_DATABASE_URL);
  const databaseUrl = options.databaseUrl ?? (owned?.url as string);
  const port = await freePort();
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const config = loadConfig({
    env: {},
    overrides: {
      port,
      host: "127.0.0.1",
      dataDir,
      databaseUrl,
      masterKey: TEST_MASTER_KEY,
      logLevel: "silent",
      deliveryPollInterval: 50,
      dbPoolSize: 5,
      webhookAllowPrivate: true,
      ...options.config,
    },
  });
  let app: App;
  let started: Awaited<ReturnType<App["start"]>>;
  try {
    app = await createApp({
      config,
      now,
      sender: options.sender,
      log: options.log,
      announce: options.announce ?? (() => {}),
    });
    started = await app.start();
  } catch (e) {
    await owned?.drop();
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const instance = (
    await app.db.query<{ default_org_id: string; admin_user_id: string }>("select * from instance")
  )[0];
  if (!instance) throw new Error("instance not bootstrapped");
  const adminToken = newToken();
  await tokenQueries(app.db).insert({
    id: uuidv7(),
    orgId: instance.default_org_id,
    userId: instance.admin_user_id,
    tokenHash: hashToken(adminToken),
    expiresAt: null,
    at: new Date(),
  });
  return {
    app,
    databaseUrl,
    baseUrl: `http://127.0.0.1:${started.port}`,
    dataDir,
    adminToken,
    defaultOrgId: instance.default_org_id,
    advance(ms) {
      offset += ms;
    },
    async stop() {
      await app.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      await owned?.drop();
    },
  };
}

/** A value unique to this run, for emails and usernames on a shared database. */
export function unique(prefix = "u"): string {
  return `${prefix}-${uuidv7().slice(-12)}`;
}

/** Drops a database made for a test app (when its app was stopped without `stop()`). */
export async function dropDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}
