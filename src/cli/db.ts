import { spawn, spawnSync } from "node:child_process";
import pino from "pino";
import type { Config } from "../config/load.ts";
import { DATABASE, layoutOf, SOCKET_PORT, SUPERUSER } from "../db/embedded/layout.ts";
import { runningPostmaster } from "../db/embedded/postmaster-pid.ts";
import { EmbeddedServer } from "../db/embedded/server.ts";
import { migrate } from "../db/migrate.ts";
import { openDb } from "../db/open.ts";
import { restoreBackup, writeBackup } from "../db/transfer/backup-file.ts";
import type { Args } from "./args.ts";

export const DB_HELP = `usher db — the database: backups, restores, a SQL shell

  usher db backup FILE    write every table to FILE (plain SQL: COPY blocks, mode 0600) from one
                          consistent snapshot, while Usher runs or not
  usher db restore FILE   load a backup into an empty database: a new data folder, or a new
                          database on DATABASE_URL (that is how to move to an external PostgreSQL)
  usher db psql           open psql on the database when psql is installed; else print the
                          connection string to use (its password stays in <data dir>/pg/pgpass)

Works on DATABASE_URL when it is set, else on the embedded server in <data dir>/pg (started for
the command and stopped after it, unless Usher is running and has it started already).`;

/** Runs `usher db …`; returns the exit code. */
export async function dbCommand(args: Args, config: Config, out: (s: string) => void): Promise<number> {
  const [sub, file] = args.rest;
  if (sub === "psql") return psql(config, out);
  if ((sub !== "backup" && sub !== "restore") || !file) {
    out(DB_HELP);
    return 2;
  }
  const log = pino({
    level: config.logLevel === "info" ? "warn" : config.logLevel,
    base: { service: "usher" },
  });
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2, log });
  try {
    const t0 = performance.now();
    if (sub === "backup") {
      await migrate(db);
      const counts = await writeBackup(db, file);
      out(`wrote ${file}: ${summary(counts)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } else {
      const counts = await restoreBackup(db, file);
      out(`restored ${file}: ${summary(counts)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

function summary(counts: Record<string, number>): string {
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  return `${rows} rows in ${Object.keys(counts).length} tables`;
}

/**
 * A libpq connection string for the embedded database: its socket (or 127.0.0.1 port) and the
 * pgpass file, so the password itself is never printed.
 */
export function embeddedConnectionString(dataDir: string): string {
  const layout = layoutOf(dataDir);
  const pm = runningPostmaster(layout.data);
  const host = pm?.socketDir || layout.socketDir || "127.0.0.1";
  const port = pm?.port ?? SOCKET_PORT;
  return `postgresql://${SUPERUSER}@${encodeURIComponent(host)}:${port}/${DATABASE}?passfile=${encodeURIComponent(layout.passfile)}`;
}

async function psql(config: Config, out: (s: string) => void): Promise<number> {
  const hasPsql = spawnSync("psql", ["--version"], { stdio: "ignore" }).status === 0;
  if (config.databaseUrl) {
    if (!hasPsql || !process.stdin.isTTY) {
      out("psql is not installed here (or no terminal): connect with DATABASE_URL");
      return 0;
    }
    return run("psql", [config.databaseUrl]);
  }
  const log = pino({ level: "warn", base: { service: "usher" } });
  const server = new EmbeddedServer({ dataDir: config.dataDir, log });
  await server.start();
  try {
    const url = embeddedConnectionString(config.dataDir);
    if (!hasPsql || !process.stdin.isTTY) {
      out(url);
      if (server.owned)
        out("(the server runs only while Usher runs, or a command like this one: start Usher to connect)");
      return 0;
    }
    return await run("psql", [url]);
  } finally {
    await server.stop();
  }
}

function run(command: string, argv: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, argv, { stdio: "inherit" });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}
